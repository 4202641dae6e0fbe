"""The export as an Excel workbook: the CSV's rows and columns, typed (dates as dates, years as
numbers, addresses as links), with a frozen header and a second sheet saying what the search
was, when it was made, the licence and the credit.

XlsxWriter writes in its constant-memory mode (each row is flushed to a temporary file as it
is finished), from the batches the CSV's Python writer reads, so memory stays flat however
many practices match. Every text cell is written as text: a cell that looks like a formula
stays the text it is, with nothing prepended.
"""

import datetime
import tempfile

import xlsxwriter
from django.utils import timezone

from practices.csv_format import YEAR_COLUMNS
from practices.exchange import dataset
from practices.exchange.exports import PRACTICE_PATH_PREFIX, export_batches
from practices.search.facets.registry import CSV_COLUMNS

# Excel keeps at most this many links on one sheet; later addresses are written as text.
MOST_LINKS_PER_SHEET = 65_530
LONGEST_LINK = 2_079  # Excel's limit for a link's address
LINK_COLUMNS = ("url", "link")
DATE_COLUMNS = ("updated",)
WIDTHS = {"slug": 28, "title": 48, "original_title": 40, "description": 60, "url": 40}
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "tmpdir": None,
}


def xlsx_file(practices, *, url_prefix=PRACTICE_PATH_PREFIX, search=(), export_url="", now=None):
    """Write the workbook of the practices (a queryset, in its order) to a temporary file and
    return the file, open at its start; it is deleted when closed. ``search`` lists
    (parameter, values) of the search, ``export_url`` is the address that made it."""
    now = now or timezone.now()
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook = xlsxwriter.Workbook(output, {**WORKBOOK_OPTIONS, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("Practices")
    about = workbook.add_worksheet("About")
    bold = workbook.add_format({"bold": True, "bg_color": "#E8F0F8", "bottom": 1})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    link = workbook.add_format({"font_color": "#0B4F8A", "underline": 1, "valign": "top"})

    for index, column in enumerate(CSV_COLUMNS):
        sheet.set_column(index, index, WIDTHS.get(column, 18))
        sheet.write_string(0, index, column, bold)
    sheet.freeze_panes(1, 0)

    kinds = [_kind(column) for column in CSV_COLUMNS]
    row_number, links = 0, 0
    for batch in export_batches(practices, url_prefix=url_prefix, neutralise=False):
        for cells in batch:
            row_number += 1
            for index, (kind, value) in enumerate(zip(kinds, cells, strict=True)):
                if value == "":
                    continue
                if kind == "date":
                    day = datetime.date.fromisoformat(value)
                    sheet.write_datetime(row_number, index, day, date)
                elif kind == "year" and value.isdigit():
                    sheet.write_number(row_number, index, int(value), top)
                elif kind == "link" and links < MOST_LINKS_PER_SHEET and _linkable(value):
                    sheet.write_url(row_number, index, value, link, string=value)
                    links += 1
                else:
                    sheet.write_string(row_number, index, value, wrapped if "\n" in value else top)
    sheet.autofilter(0, 0, max(row_number, 1), len(CSV_COLUMNS) - 1)

    _write_about(about, bold, wrapped, search, export_url, now, row_number)
    workbook.close()
    output.seek(0)
    return output


def _kind(column) -> str:
    if column in DATE_COLUMNS:
        return "date"
    if column in YEAR_COLUMNS:
        return "year"
    if column in LINK_COLUMNS:
        return "link"
    return "text"


def _linkable(value: str) -> bool:
    return value.startswith(("https://", "http://")) and len(value) <= LONGEST_LINK


def _write_about(sheet, bold, wrapped, search, export_url, now, count):
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    described = "; ".join(f"{name} = {', '.join(values)}" for name, values in search)
    rows = [
        ("Dataset", dataset.TITLE),
        ("Search", described or "every published practice"),
        ("Practices", str(count)),
        ("Made at (UTC)", now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")),
        ("Made from", export_url),
        ("Licence", f"{dataset.LICENCE_NAME}, {dataset.LICENCE_URL}"),
        ("Credit", dataset.STIP_CREDIT),
        ("Columns", "The same as the CSV export's; described on the data page (/data/)."),
    ]
    for number, (label, value) in enumerate(rows):
        sheet.write_string(number, 0, label, bold)
        sheet.write_string(number, 1, value, wrapped)
