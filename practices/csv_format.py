"""The CSV exchange format shared by the export and the import: columns and cell escaping.

The column order is a public contract: columns are only ever added at the end. Every facet of
the registry has a column, and so has each plain field a researcher may want. Cells that
a spreadsheet would run as a formula are neutralised with a leading apostrophe (OWASP "CSV
Injection"); ``restore_cell`` undoes exactly that, so every value survives a round trip
unchanged.
"""

import re

# The columns of the first release, in their order; the column of a facet added later comes
# after them, so no column a reader relies on ever moves.
FIRST_COLUMNS = [
    "slug",
    "title",
    "original_title",
    "description",
    "country",
    "country_name",
    "territorial_validity",
    "thematic_priorities",
    "recommendations",
    "strategic_challenges",
    "cluster_support",
    "region_code",
    "region_name",
    "typology",
    "link",
    "updated",
]
# Columns added since, in the order they were added. Each facet of the registry has its column
# among them (a test holds it so); the plain fields are the practice's own, same names.
LATER_FACET_COLUMNS = ["instrument_types", "budget_range", "evaluated", "target_groups"]
PLAIN_COLUMNS = ["start_year", "end_year", "organisation", "evaluation_links", "source_id"]
YEAR_COLUMNS = ("start_year", "end_year")
# Written for readers, ignored by the import: the practice's public address, the names
# beside a facet written by slug (registry ``csv_names_column``), and the groups of its
# country (``practices.country_groups``; the country says it all).
DERIVED_COLUMNS = ["url", "recommendation_names", "country_groups"]
COLUMNS = FIRST_COLUMNS + LATER_FACET_COLUMNS + PLAIN_COLUMNS + DERIVED_COLUMNS
LIST_SEPARATOR = "; "

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_MAY_NEED_NEUTRALISING = frozenset("=+-@\t\r'")
_NEEDS_CSV_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: list[str]) -> str:
    """One CSV record, exactly as ``csv.writer`` writes it (minimal quoting, CRLF).

    Written out because the csv module spends about three times as long on long
    descriptions (measured on 100,000 practices: 3.9 s against 1.2 s); a test holds the
    two byte-identical.
    """
    return ",".join(map(_csv_cell, cells)) + "\r\n"


def _csv_cell(value: str) -> str:
    if _NEEDS_CSV_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def neutralise_cell(value: str) -> str:
    """Prefix a quote to a cell a spreadsheet would treat as a formula, and to a cell that
    already starts with a quote before such a character, so that the import can tell them apart."""
    if value[:1] not in _MAY_NEED_NEUTRALISING:
        return value
    if value.startswith(FORMULA_STARTS) or (
        value.startswith(_QUOTE) and value[1:2] and value[1:2] in (*FORMULA_STARTS, _QUOTE)
    ):
        return _QUOTE + value
    return value


def restore_cell(value: str) -> str:
    """Undo ``neutralise_cell``: ``restore_cell(neutralise_cell(v)) == v`` for every string."""
    if value.startswith(_QUOTE) and value[1:2] and value[1:2] in (*FORMULA_STARTS, _QUOTE):
        return value[1:]
    return value


def split_list(cell: str) -> list[str]:
    """The values of a multi-valued cell, e.g. "Innovation; Skills"."""
    return [part.strip() for part in cell.split(";") if part.strip()]
