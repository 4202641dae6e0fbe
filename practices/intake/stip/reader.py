"""Reading a STIP Compass export into initiatives: either layout (comma-separated, or the
official pipe-separated download with a second header row), one ``Initiative`` per
InitiativeID with its instruments merged, every problem with its row and column, its text
cleaned (``clean.py``: lists split, empty acronyms dropped, quotes and spaces tidied)."""

from dataclasses import dataclass

from django_countries import countries

from practices.intake.files import read_csv
from practices.intake.report import ImportProblem
from practices.intake.stip.clean import clean_line, clean_paragraphs, organisation_lines, shorten
from practices.intake.stip.codebook import (
    BELGIAN_REGIONS,
    PROPOSED_CHALLENGES,
    PROPOSED_PRIORITIES,
    PROPOSED_SUPPORT,
    REQUIRED_COLUMNS,
    SPECIAL_COUNTRIES,
    UNKNOWN_BUDGETS,
)
from practices.models import BudgetRange, InstrumentType, Practice, TargetGroup
from practices.years import parse_year

TITLE_LENGTH = Practice._meta.get_field("title").max_length
ORIGINAL_TITLE_LENGTH = Practice._meta.get_field("original_title").max_length


@dataclass
class Initiative:
    """One initiative of the file: what its practice holds, as the import writes it."""

    row: int  # its first row, numbered as a spreadsheet shows it
    source_id: str
    values: dict  # field name -> value (taxonomies by slug, tags as sorted lists of slugs)


def read_rows(raw: bytes, theme: str, report) -> list[tuple[int, dict]]:
    """(row number, cells by column) of every data row of either layout."""
    records = read_csv(raw, report, delimiters=",|")
    if records is None:
        return []
    header = [name.strip() for name in records[0]]
    missing = [name for name in (*REQUIRED_COLUMNS, theme) if name not in header]
    if missing:
        report.problems.append(
            ImportProblem(1, "", f"Not a STIP Compass export: no column {', '.join(missing)}.")
        )
        return []
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
        described = not cells.get("InitiativeID", "").startswith("http")
        if index == 2 and described and cells.get(theme) not in ("", "0", "1"):
            continue  # the official layout's second header row: descriptions of the columns
        if len(record) != len(header):
            report.problems.append(
                ImportProblem(
                    index, "", f"The row has {len(record)} cells; the header has {len(header)}."
                )
            )
            continue
        rows.append((index, cells))
    return rows


def initiatives_of(rows, theme, report) -> list[Initiative]:
    """One ``Initiative`` per InitiativeID flagged with ``theme``, its instruments merged."""
    budgets = {budget.name: budget.slug for budget in BudgetRange.objects.all()}
    instruments = dict(InstrumentType.objects.values_list("code", "slug"))
    target_groups = dict(TargetGroup.objects.values_list("code", "slug"))
    by_id: dict[str, Initiative] = {}
    for number, cells in rows:
        if cells[theme] not in ("", "0", "1"):
            report.problems.append(
                ImportProblem(number, theme, f"{cells[theme][:20]!r} is not a theme flag (0 or 1).")
            )
            continue
        if cells[theme] != "1":
            continue  # another theme's initiative: not ours to check
        problems = _check_row(number, cells, budgets)
        if problems:
            report.problems.extend(problems)
            continue
        initiative = by_id.get(cells["InitiativeID"])
        if initiative is None:
            initiative = by_id[cells["InitiativeID"]] = Initiative(
                number, cells["InitiativeID"], _values(cells, budgets)
            )
        values = initiative.values
        code = cells.get("InstrumentTypeCode", "")
        if code in instruments and instruments[code] not in values["instrument_types"]:
            values["instrument_types"] = sorted({*values["instrument_types"], instruments[code]})
        values["support_types"] = sorted(
            {*values["support_types"], *_proposed(PROPOSED_SUPPORT, {code})}
        )
        groups = {slug for code, slug in target_groups.items() if cells.get(code) == "1"}
        values["target_groups"] = sorted({*values["target_groups"], *groups})
    return list(by_id.values())


def _check_row(number, cells, budgets) -> list[ImportProblem]:
    problems = []

    def problem(column, message):
        problems.append(ImportProblem(number, column, message))

    if not cells["InitiativeID"].startswith(("http://", "https://")):
        problem("InitiativeID", f"{cells['InitiativeID'][:80]!r} is not a STIP initiative URI.")
    if not any(char.isalnum() for char in cells["NameEnglish"]):  # only spaces, "(;)", quotes
        problem("NameEnglish", "Missing: every initiative needs a name.")
    if _country(cells["CountryCode"]) is None:
        problem("CountryCode", f"{cells['CountryCode'][:20]!r} is not a STIP country code.")
    years = {}
    for column in ("StartDateYear", "EndDateYear"):
        value = cells.get(column, "")
        years[column] = parse_year(value, decimal_zero=True)
        if value and years[column] is None:
            problem(column, f"{value[:20]!r} is not a year.")
    start, end = years["StartDateYear"], years["EndDateYear"]
    if start and end and end < start:
        problem("EndDateYear", f"The initiative ends ({end}) before it starts ({start}).")
    budget = cells.get("YearlyBudgetRange", "")
    if budget not in UNKNOWN_BUDGETS and budget not in budgets:
        problem("YearlyBudgetRange", f"Unknown budget range {budget[:40]!r}.")
    if cells.get("HasBeenEvaluated", "") not in ("", "0", "1"):
        problem("HasBeenEvaluated", f"{cells['HasBeenEvaluated'][:20]!r} is not 0 or 1.")
    return problems


def _country(code):
    """(ISO alpha-2 code, territorial validity slug) of a STIP country code, else None."""
    if code in SPECIAL_COUNTRIES:
        return SPECIAL_COUNTRIES[code], "regional" if code in BELGIAN_REGIONS else "national"
    alpha2 = countries.alpha2(code) if len(code) == 3 else ""
    return (alpha2, "national") if alpha2 else None


def _values(cells, budgets) -> dict:
    country, validity = _country(cells["CountryCode"])
    themes = {column for column, flag in cells.items() if column.startswith("TH") and flag == "1"}
    objectives = [clean_line(cells.get(f"Objectives{n}", "")) for n in range(1, 7)]
    description = "\n\n".join(
        part
        for part in [
            clean_paragraphs(cells["ShortDescription"]),
            "Objectives: " + " ".join(o for o in objectives if o) if any(objectives) else "",
        ]
        if part
    )
    title = clean_line(cells["NameEnglish"])
    budget = cells.get("YearlyBudgetRange", "")
    evaluated = cells.get("HasBeenEvaluated", "")
    return {
        # a title is never cut inside a word (the longest of 2021: 118 characters; an
        # original title: 1,220, a decree's name); organisations are never cut at all
        "title": shorten(title, TITLE_LENGTH),
        "original_title": shorten(
            clean_line(cells.get("NameOriginalLanguage", "")), ORIGINAL_TITLE_LENGTH
        ),
        "description": description or title,
        "country": country,
        "territorial_validity": validity,
        "start_year": parse_year(cells.get("StartDateYear", ""), decimal_zero=True),
        "end_year": parse_year(cells.get("EndDateYear", ""), decimal_zero=True),
        "organisation": organisation_lines(cells.get("NameResponsibleOrganisation", "")),
        "survey_year": parse_year(cells.get("SurveyYear", ""), decimal_zero=True),
        "budget_range": budgets.get(budget),
        "evaluated": {"1": True, "0": False}.get(evaluated),
        "evaluation_links": "\n".join(_links(cells, "LinksEvaluations")),
        "link": next(iter(_links(cells, "InternetLinks")), ""),
        "instrument_types": [],
        "target_groups": [],
        "source_themes": sorted(themes, key=lambda code: int(code[2:])),
        "challenges": sorted(_proposed(PROPOSED_CHALLENGES, themes)),
        "priorities": sorted(_proposed(PROPOSED_PRIORITIES, themes)),
        "support_types": [],
    }


def _links(cells, prefix) -> list[str]:
    """The links of ``prefix``1..9 that are web addresses, in order."""
    links = (cells.get(f"{prefix}{number}", "") for number in range(1, 10))
    return [link for link in links if link.startswith(("http://", "https://")) and len(link) <= 500]


def _proposed(mapping, codes) -> set[str]:
    return {slug for slug, wanted in mapping.items() if wanted & set(codes)}
