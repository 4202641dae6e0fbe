"""The years a practice may run in, and how a file writes one: one statement of the bounds for
the filters, the API's schema and both imports."""

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
YEARS = range(EARLIEST_YEAR, LATEST_YEAR + 1)


def parse_year(text: str, *, decimal_zero: bool = False) -> int | None:
    """The year ``text`` writes ("2015"; with ``decimal_zero`` also "2015.0", as spreadsheet
    exports such as the STIP Compass's write it), or None when it is no year in the bounds."""
    whole, dot, fraction = text.partition(".") if decimal_zero else (text, "", "")
    if dot and (not fraction or set(fraction) - {"0"}):
        return None
    if whole.isascii() and whole.isdigit() and EARLIEST_YEAR <= int(whole) <= LATEST_YEAR:
        return int(whole)
    return None
