"""All-or-nothing import of practices from the CSV exchange format.

Every row is checked before anything is written; one problem anywhere refuses the whole
file, and every problem is reported with its row and column. Rows are numbered as a
spreadsheet shows them: the header is row 1.
"""

from django.db import transaction
from django.utils import timezone

from practices import db
from practices.csv_format import FIRST_COLUMNS, restore_cell
from practices.intake.csv.checks import ImportProblem, RowChecker
from practices.intake.files import content_of, read_csv
from practices.intake.report import ImportReport, refuse_changed_since
from practices.models import Practice, Region
from practices.search.facets.registry import CSV_COLUMNS
from practices.versions import one_version


def import_practices(
    source,
    *,
    dry_run: bool = False,
    progress=None,
    source_name: str = "a CSV file",
    revisions_seen: dict | None = None,
) -> ImportReport:
    """Create or update practices by slug from CSV bytes or a binary file; publish them.

    Nothing is written when any row has a problem, or when ``dry_run`` is set; the report
    says what was (or would be) created, updated (field by field) and left unchanged. A
    practice the file does not change is left untouched (no version, same date); a changed
    one is updated now, as one version whose reason names ``source_name``; a new one keeps
    the file's date. With ``revisions_seen`` (the ``revisions`` of a dry run's report) the
    whole file is refused if any of its practices was created or saved since then.
    """
    report = ImportReport(dry_run=dry_run)
    records = _read_records(content_of(source), report)
    if records is None:
        return report
    rows = _check_rows(records, report, progress)
    if report.problems:
        return report
    if dry_run:
        _classify(rows, _existing_practices(rows), report)
        return report
    with transaction.atomic():
        db.for_an_import()
        existing = _existing_practices(rows, lock=True)
        if revisions_seen is not None:
            found = [
                (row.number, "slug", slug, existing.get(slug))
                for row in rows
                for slug in [row.practice["slug"]]
            ]
            refuse_changed_since(report, found, revisions_seen)
            if report.problems:
                return report
        _write(rows, existing, report, progress, reason=f"Imported from {source_name}")
    return report


def _read_records(raw: bytes, report):
    records = read_csv(raw, report)
    if records is None:
        return None
    header = [name.strip() for name in records[0]]
    # The column of a facet added after the first release may be absent (a file written
    # before it existed): that facet is then left as it is.
    missing = [name for name in FIRST_COLUMNS if name not in header]
    unknown = [name for name in header if name not in CSV_COLUMNS]
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
                1, "", f"Wrong header ({'; '.join(details)}). Expected: {','.join(CSV_COLUMNS)}"
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


def _existing_practices(rows, *, lock=False):
    slugs = [row.practice["slug"] for row in rows]
    practices = Practice.objects.with_tags()
    if lock:
        practices = practices.select_for_update(of=("self",))
    existing = {}
    for start in range(0, len(slugs), 1000):
        batch = practices.filter(slug__in=slugs[start : start + 1000])
        existing.update({practice.slug: practice for practice in batch})
    return existing


def _changes(practice, row) -> list[tuple[str, str, str]]:
    """(field or tags, old, new) of each thing the row changes about an existing practice.
    The file's ``updated`` is not one of them: an export read back changes nothing."""
    found = []
    for name, value in row.practice.items():
        current = practice.country.code if name == "country" else getattr(practice, name)
        if current != value:
            found.append((_label(name), _shown(current), _shown(value)))
    for field_name, values in row.tags.items():
        stored_tags = getattr(practice, f"{field_name}_list")  # see PracticeQuerySet.with_tags
        if {tag.pk for tag in stored_tags} != {tag.pk for tag in values}:
            found.append((_label(field_name), _joined(stored_tags), _joined(values)))
    region_code = practice.region.code.casefold() if practice.region else ""
    if region_code != row.region_code:
        found.append(
            ("region", practice.region.code if practice.region else "", row.region_code.upper())
        )
    if not practice.is_published:
        found.append(("published", "no", "yes"))
    return found


def _label(field_name) -> str:
    return str(Practice._meta.get_field(field_name).verbose_name)


def _shown(value) -> str:
    return "" if value is None else str(value)


def _joined(tags) -> str:
    return "; ".join(sorted(str(tag) for tag in tags))


def _classify(rows, existing, report):
    for row in rows:
        slug = row.practice["slug"]
        practice = existing.get(slug)
        report.revisions[slug] = practice.revision if practice is not None else None
        report.titles[slug] = row.practice["title"]
        if practice is None:
            report.created.append(slug)
        elif changes := _changes(practice, row):
            report.updated.append(slug)
            report.changes[slug] = changes
        else:
            report.unchanged.append(slug)


def _write(rows, existing, report, progress, *, reason):
    regions = {region.code.casefold(): region for region in Region.objects.all()}
    now = timezone.now()
    for index, row in enumerate(rows):
        if row.region and row.region_code not in regions:
            code, name, typology = row.region
            regions[row.region_code] = Region.objects.create(
                code=code, name=name, typology=typology
            )
        practice = existing.get(row.practice["slug"])
        report.titles[row.practice["slug"]] = row.practice["title"]
        if practice is None:
            # a new practice keeps the file's date: moving records between databases
            practice = Practice(created_at=now, updated_at=row.updated or now)
            report.created.append(row.practice["slug"])
        elif changes := _changes(practice, row):
            report.updated.append(practice.slug)
            report.changes[practice.slug] = changes
        else:
            report.unchanged.append(practice.slug)
            continue
        created = practice._state.adding
        with one_version(practice, reason=reason):
            for name, value in row.practice.items():
                setattr(practice, name, value)
            practice.region = regions.get(row.region_code) if row.region_code else None
            practice.is_published = True
            practice.save(touch=not created)  # a changed practice was updated now
            for field_name, values in row.tags.items():
                getattr(practice, field_name).set(values)
        if progress:
            progress(index + 1, len(rows))
