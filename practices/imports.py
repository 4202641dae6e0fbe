"""All-or-nothing import of practices from the CSV exchange format.

Every row is checked before anything is written; one problem anywhere refuses the whole
file, and every problem is reported with its row and column. Rows are numbered as a
spreadsheet shows them: the header is row 1.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from practices.csv_format import COLUMNS, FIRST_COLUMNS, restore_cell
from practices.import_checks import ImportProblem, RowChecker
from practices.models import Practice, Region

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        if self.problems:
            return f"Refused: {len(self.problems)} problem(s) found; nothing was changed."
        counts = (len(self.created), len(self.updated), len(self.unchanged))
        if self.dry_run:
            return "Dry run: {} to create, {} to update, {} unchanged; nothing written.".format(
                *counts
            )
        return "{} created, {} updated, {} unchanged.".format(*counts)


def import_practices(source, *, dry_run: bool = False, progress=None) -> ImportReport:
    """Create or update practices by slug from CSV bytes or a binary file; publish them.

    Nothing is written when any row has a problem, or when ``dry_run`` is set; the report
    says what was (or would be) created, updated and left unchanged.
    """
    report = ImportReport(dry_run=dry_run)
    raw = source if isinstance(source, bytes) else source.read(MAX_FILE_BYTES + 1)
    records = _read_records(raw, report)
    if records is None:
        return report
    rows = _check_rows(records, report, progress)
    if report.problems:
        return report
    if dry_run:
        _classify(rows, report)
        return report
    with transaction.atomic():
        _write(rows, report, progress)
    return report


def _read_records(raw: bytes, report):
    if len(raw) > MAX_FILE_BYTES:
        report.problems.append(
            ImportProblem(1, "", f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.problems.append(
            ImportProblem(line, "", "The file is not UTF-8 text (save it as CSV UTF-8).")
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.problems.append(
            ImportProblem(line, "", "The file holds binary data: it is not a CSV file.")
        )
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        report.problems.append(ImportProblem(0, "", f"The file is not valid CSV: {error}."))
        return None
    if not records:
        report.problems.append(ImportProblem(1, "", "The file is empty: expected a header row."))
        return None
    header = [name.strip() for name in records[0]]
    # The column of a facet added after the first release may be absent (a file written
    # before it existed): that facet is then left as it is.
    missing = [name for name in FIRST_COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or repeated:
        details = []
        if missing:
            details.append("missing " + ", ".join(missing))
        if unknown:
            details.append("unknown " + ", ".join(repr(name) for name in unknown[:5]))
        if repeated:
            details.append("repeated " + ", ".join(repeated))
        report.problems.append(
            ImportProblem(
                1, "", f"Wrong header ({'; '.join(details)}). Expected: {','.join(COLUMNS)}"
            )
        )
        return None
    return header, records[1:]


def _check_rows(records, report, progress):
    """The rows of the file ready to write; every problem found goes to ``report``."""
    header, body = records
    checker = RowChecker(header)
    rows = []
    for index, record in enumerate(body):
        number = index + 2
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(header):
            report.problems.append(
                ImportProblem(
                    number, "", f"The row has {len(record)} cells; the header has {len(header)}."
                )
            )
            continue
        cells = {
            name: restore_cell(value).strip() for name, value in zip(header, record, strict=True)
        }
        row, problems = checker.check(number, cells)
        if problems:
            report.problems.extend(problems)
        else:
            rows.append(row)
        if progress:
            progress(index + 1, len(body))
    return rows


def _existing_practices(rows):
    slugs = [row.practice["slug"] for row in rows]
    existing = {}
    for start in range(0, len(slugs), 1000):
        batch = Practice.objects.filter(slug__in=slugs[start : start + 1000]).with_tags()
        existing.update({practice.slug: practice for practice in batch})
    return existing


def _differs(practice, row):
    for name, value in row.practice.items():
        current = practice.country.code if name == "country" else getattr(practice, name)
        if current != value:
            return True
    for field_name, values in row.tags.items():
        stored_tags = getattr(practice, f"{field_name}_list")  # see PracticeQuerySet.with_tags
        if {tag.pk for tag in stored_tags} != {tag.pk for tag in values}:
            return True
    region_code = practice.region.code.casefold() if practice.region else ""
    if region_code != row.region_code or not practice.is_published:
        return True
    return row.updated is not None and practice.updated_at != row.updated


def _classify(rows, report):
    existing = _existing_practices(rows)
    for row in rows:
        practice = existing.get(row.practice["slug"])
        if practice is None:
            report.created.append(row.practice["slug"])
        elif _differs(practice, row):
            report.updated.append(row.practice["slug"])
        else:
            report.unchanged.append(row.practice["slug"])


def _write(rows, report, progress):
    existing = _existing_practices(rows)
    regions = {region.code.casefold(): region for region in Region.objects.all()}
    now = timezone.now()
    for index, row in enumerate(rows):
        if row.region and row.region_code not in regions:
            code, name, typology = row.region
            regions[row.region_code] = Region.objects.create(
                code=code, name=name, typology=typology
            )
        practice = existing.get(row.practice["slug"])
        if practice is not None and not _differs(practice, row):
            report.unchanged.append(practice.slug)
            continue
        if practice is None:
            practice = Practice(created_at=now)
            report.created.append(row.practice["slug"])
        else:
            report.updated.append(practice.slug)
        for name, value in row.practice.items():
            setattr(practice, name, value)
        practice.region = regions.get(row.region_code) if row.region_code else None
        practice.is_published = True
        practice.updated_at = row.updated or now
        practice.save(touch=False)
        for field_name, values in row.tags.items():
            getattr(practice, field_name).set(values)
        if progress:
            progress(index + 1, len(rows))
