"""All-or-nothing import of practices from the CSV exchange format.

Every row is checked before anything is written; one problem anywhere refuses the whole
file, and every problem is reported with its row and column. Rows are numbered as a
spreadsheet shows them: the header is row 1.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from practices.csv_format import COLUMNS, FIRST_COLUMNS, restore_cell, split_list
from practices.models import Practice, Region, Typology
from practices.search.registry import CHOICE, TAGS, of_kind

MAX_FILE_BYTES = 200 * 1024 * 1024
TEXT_LIMITS = {
    "slug": Practice._meta.get_field("slug").max_length,
    "title": Practice._meta.get_field("title").max_length,
    "original_title": Practice._meta.get_field("original_title").max_length,
    "link": Practice._meta.get_field("link").max_length,
    "region_code": Region._meta.get_field("code").max_length,
    "region_name": Region._meta.get_field("name").max_length,
}


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


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


@dataclass
class _Row:
    number: int
    practice: dict
    tags: dict
    region: tuple | None  # (code, name, typology) of a region to create, or None
    region_code: str
    updated: datetime.datetime | None


class _Lookup:
    """Taxonomy values by slug or name, case-insensitively."""

    def __init__(self, model):
        self.values = {}
        for value in model.objects.all():
            self.values[value.slug.casefold()] = value
            self.values[value.name.casefold()] = value

    def get(self, text):
        return self.values.get(text.strip().casefold())


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
    checker = _RowChecker(header)
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


class _RowChecker:
    """Reads the cells of one row into a ``_Row``, or says what is wrong with them, column by
    column. Taxonomy values are looked up once for the whole file."""

    def __init__(self, header):
        # the facets whose columns the file has
        self.tag_facets = [spec for spec in of_kind(TAGS) if spec.csv_column in header]
        self.choice_facets = [spec for spec in of_kind(CHOICE) if spec.csv_column in header]
        self.lookups = {
            spec.param: _Lookup(spec.model) for spec in (*self.tag_facets, *self.choice_facets)
        }
        self.typologies = _Lookup(Typology)
        self.regions = {
            region.code.casefold(): region for region in Region.objects.select_related("typology")
        }
        self.seen_slugs = {}
        self.url_validator = URLValidator()

    def check(self, number, cells) -> tuple["_Row | None", list[ImportProblem]]:
        problems = []

        def problem(column, message):
            problems.append(ImportProblem(number, column, message))

        self._check_text(number, cells, problem)
        country = self._country(cells, problem)
        choices = self._choices(cells, problem)
        tags = self._tags(cells, problem)
        region_to_create = self._region(cells, problem)
        self._check_link(cells, problem)
        updated = self._updated(cells, problem)
        if problems:
            return None, problems
        practice = {
            "slug": cells["slug"],
            "title": cells["title"],
            "original_title": cells["original_title"],
            "description": cells["description"],
            "country": country,
            **choices,
            "link": cells["link"],
        }
        return _Row(
            number=number,
            practice=practice,
            tags=tags,
            region=region_to_create,
            region_code=cells["region_code"].casefold(),
            updated=updated,
        ), []

    def _check_text(self, number, cells, problem):
        for column, limit in TEXT_LIMITS.items():
            if len(cells[column]) > limit:
                problem(column, f"Longer than {limit} characters.")
        slug = cells["slug"]
        if not slug:
            problem("slug", "Missing: every practice needs a slug.")
        else:
            try:
                validate_slug(slug)
            except ValidationError:
                problem("slug", f"{slug!r} is not a slug (letters, numbers, hyphens, underscores).")
            if slug in self.seen_slugs:
                problem(
                    "slug",
                    f"{slug!r} appears twice in the file (also row {self.seen_slugs[slug]}).",
                )
            self.seen_slugs.setdefault(slug, number)
        for column in ["title", "description"]:
            if not cells[column]:
                problem(column, f"Missing: every practice needs a {column}.")

    def _country(self, cells, problem):
        country = cells["country"].upper()
        if not country:
            problem("country", "Missing: give the ISO 3166-1 alpha-2 code, e.g. FI.")
        elif country not in countries:
            problem("country", f"{cells['country']!r} is not an ISO 3166-1 alpha-2 country code.")
        return country

    def _choices(self, cells, problem) -> dict:
        """The value of each single-valued facet held by the practice, by field name."""
        chosen = {}
        for spec in self.choice_facets:
            text = cells[spec.csv_column]
            value = self.lookups[spec.param].get(text)
            if not text:
                if not spec.field.null:
                    problem(spec.csv_column, "Missing.")
            elif value is None:
                problem(spec.csv_column, f"Unknown value {text!r}.")
            chosen[spec.path] = value
        return chosen

    def _tags(self, cells, problem) -> dict:
        """The values of each multi-valued facet, by relation name."""
        tags = {}
        for spec in self.tag_facets:
            found = []
            for text in split_list(cells[spec.csv_column]):
                value = self.lookups[spec.param].get(text)
                if value is None:
                    problem(spec.csv_column, f"Unknown value {text!r}.")
                elif value not in found:
                    found.append(value)
            tags[spec.path] = found
        return tags

    def _region(self, cells, problem):
        """(code, name, typology) of a region the row introduces, else None."""
        code, region_name, typology_text = (
            cells["region_code"],
            cells["region_name"],
            cells["typology"],
        )
        if not code:
            if region_name or typology_text:
                problem("region_code", "A region needs its NUTS code.")
            return None
        existing = self.regions.get(code.casefold())
        typology = self.typologies.get(typology_text) if typology_text else None
        if typology_text and typology is None:
            problem("typology", f"Unknown typology {typology_text!r}.")
        if existing is None:
            if not region_name:
                problem("region_name", f"Region {code} is new: give its name.")
            if not typology_text:
                problem("typology", f"Region {code} is new: give its typology.")
            return (code, region_name, typology)
        if typology is not None and typology != existing.typology:
            problem("typology", f"Region {existing.code} belongs to {existing.typology.name}.")
        return None

    def _check_link(self, cells, problem):
        if cells["link"]:
            try:
                self.url_validator(cells["link"])
            except ValidationError:
                problem("link", f"{cells['link'][:80]!r} is not a valid URL (http:// or https://).")

    def _updated(self, cells, problem):
        if not cells["updated"]:
            return None
        updated = _parse_updated(cells["updated"])
        if updated is None:
            problem("updated", f"{cells['updated']!r} is not a date like 2021-11-12.")
        return updated


def _parse_updated(text):
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


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
