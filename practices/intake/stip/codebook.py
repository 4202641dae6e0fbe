"""What the STIP Compass's codebook means to the toolkit: the theme of cluster policies, the
columns every export has, its country codes, and the toolkit's tags an import proposes."""

import csv
from functools import cache
from pathlib import Path

CLUSTER_POLICIES = "TH47"
REQUIRED_COLUMNS = ("InitiativeID", "NameEnglish", "CountryCode", "ShortDescription")

# Countries: ISO alpha-3, except the European Union itself and Belgium's governments.
BELGIAN_REGIONS = {"BEVLG", "BEWAL", "BEBRU", "BEWBF"}  # Flanders, Wallonia, Brussels, FWB
SPECIAL_COUNTRIES = {"BEFED": "BE", "EU": "EU", **dict.fromkeys(BELGIAN_REGIONS, "BE")}

# The tags an import proposes, written in this one place. STIP's themes (codebook/themes.csv)
# and instrument types (codebook/policyinstruments.csv) do not use the toolkit's taxonomies;
# these are the ones whose meaning carries over. A curator confirms or corrects each practice.
PROPOSED_CHALLENGES = {
    "innovation": {"TH42", "TH31", "TH32"},  # collaborative R&I, (non-)financial support to it
    "skills": {"TH48", "TH50", "TH51"},  # human resources debates and strategies, STEM skills
    "internationalisation": {"TH36", "TH25", "TH55", "TH63"},  # FDI, international research
}
PROPOSED_PRIORITIES = {
    "digital-transition": {"TH82"},  # digital transformation of firms
    "green-transition": {"TH92"},  # green energy transitions
    "resilience": {"TH97", "TH98"},  # long-term impacts of COVID-19, resilient economies
}
PROPOSED_SUPPORT = {  # by instrument type
    "networking": {"PI021"},  # networking and collaborative platforms
    "business-services": {"PI017", "PI014"},  # technology extension and advice, vouchers
    "intelligence": {"PI031", "PI023"},  # policy intelligence, information services
}
UNKNOWN_BUDGETS = {"", "Unknown", "Don't know"}


# The STIP Compass's themes, copied from its codebook (EC-OECD, codebook/themes.csv).
THEMES_FILE = Path(__file__).with_name("themes.csv")


@cache
def theme_names() -> dict[str, str]:
    """{code: "theme (area)"} of every STIP theme, e.g. TH92: "Green energy transitions
    (Research and innovation for society)"."""
    with THEMES_FILE.open(encoding="utf-8", newline="") as themes:
        return {
            row["code"]: "{1} ({0})".format(*row["label"].split("|", 1))
            for row in csv.DictReader(themes)
        }
