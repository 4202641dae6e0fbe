"""What the published dataset is, who publishes it, under which licence and with whose
credit: the facts that the data page, the catalogue record and the workbook's second sheet
all state, written once here."""

TITLE = "Cluster Policy Toolkit: cluster-policy practices"
DESCRIPTION = (
    "Cluster-policy practices from European and other countries, each with its country, "
    "territorial validity, thematic priorities, expert-group recommendations, strategic "
    "challenges, types of cluster support, region and region typology, curated by the "
    "platform's staff, with country factsheets."
)
PUBLISHER = "Cluster Policy Toolkit"
KEYWORDS = ["cluster policy", "clusters", "industrial policy", "regional development", "innovation"]

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
STIP_CREDIT = (
    "Records imported from the EC-OECD STIP Compass carry facts from EC-OECD (2021), STIP "
    "Compass: International Database on Science, Technology and Innovation Policy, "
    "https://stip.oecd.org, whose terms allow re-use with this credit; their descriptions "
    "are the toolkit's own words."
)
CITATION = "Cluster Policy Toolkit ({year}), cluster-policy practices, {url}, retrieved {date}."
STIP_SOURCE = (
    "EC-OECD ({year}), STIP Compass: International Database on Science, Technology and "
    "Innovation Policy, https://stip.oecd.org"
)


def stip_source(survey_year: int | None) -> str:
    """The credit the OECD asks for, beside facts from its STIP Compass survey of
    ``survey_year`` (the year left out when it is unknown)."""
    if survey_year is None:
        return STIP_SOURCE.replace(" ({year})", "")
    return STIP_SOURCE.format(year=survey_year)
