"""Checking the rows of an import file: each cell read into what the practice will hold, or a
problem that names its row and column. Nothing here writes."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import timezone
from django_countries import countries

from practices.csv_format import PLAIN_COLUMNS, YEAR_COLUMNS, split_list
from practices.intake.report import ImportProblem
from practices.models import Practice, Region, Typology
from practices.search.facets.registry import (
    CHOICE,
    TAGS,
    field_facets,
    of_kind,
    with_fixed_values,
)
from practices.years import parse_year

TEXT_LIMITS = {
    "slug": Practice._meta.get_field("slug").max_length,
    "title": Practice._meta.get_field("title").max_length,
    "original_title": Practice._meta.get_field("original_title").max_length,
    "link": Practice._meta.get_field("link").max_length,
    "region_code": Region._meta.get_field("code").max_length,
    "region_name": Region._meta.get_field("name").max_length,
}
PLAIN_TEXT_LIMITS = {
    "source_id": Practice._meta.get_field("source_id").max_length,
}


@dataclass
class Row:
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


class RowChecker:
    """Reads the cells of one row into a ``Row``, or says what is wrong with them, column by
    column. Taxonomy values are looked up once for the whole file."""

    def __init__(self, header):
        # the facets whose columns the file has
        self.tag_facets = [spec for spec in of_kind(TAGS) if spec.csv_column in header]
        self.choice_facets = [spec for spec in of_kind(CHOICE) if spec.csv_column in header]
        self.fixed_facets = [spec for spec in with_fixed_values() if spec.csv_column in header]
        self.field_facets = [spec for spec in field_facets() if spec.csv_column in header]
        self.lookups = {
            spec.param: _Lookup(spec.model) for spec in (*self.tag_facets, *self.choice_facets)
        }
        self.typologies = _Lookup(Typology)
        self.regions = {
            region.code.casefold(): region for region in Region.objects.select_related("typology")
        }
        # the plain fields whose columns the file has
        self.plain_columns = [column for column in PLAIN_COLUMNS if column in header]
        self.seen_slugs = {}
        self.seen_source_ids = {}
        self.url_validator = URLValidator()

    def check(self, number, cells) -> tuple["Row | None", list[ImportProblem]]:
        problems = []

        def problem(column, message):
            problems.append(ImportProblem(number, column, message))

        self._check_text(number, cells, problem)
        country = self._country(cells, problem)
        choices = self._choices(cells, problem)
        tags = self._tags(cells, problem)
        region_to_create = self._region(cells, problem)
        self._check_link(cells, problem)
        plain = self._plain(number, cells, problem)
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
            **plain,
        }
        return Row(
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
        for spec in self.fixed_facets:
            text = cells[spec.csv_column].casefold()
            slugs = [slug for slug, _, _ in spec.fixed_values]
            if text and text not in slugs:
                problem(spec.csv_column, f"{text!r} is not one of {', '.join(slugs)} (or empty).")
            else:
                chosen[spec.path] = spec.stored(text) if text else None
        for spec in self.field_facets:
            text = cells[spec.csv_column]
            if text and text not in spec.url_values():
                problem(spec.csv_column, f"Unknown value {text!r}.")
            chosen[spec.path] = text
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
            # a typology left blank stays unknown: the Panorama does not give every region's
            return (code, region_name, typology)
        if typology is not None and typology != existing.typology:
            known = existing.typology.name if existing.typology else "no known typology"
            problem("typology", f"Region {existing.code} has {known}.")
        return None

    def _check_link(self, cells, problem):
        if cells["link"]:
            try:
                self.url_validator(cells["link"])
            except ValidationError:
                problem("link", f"{cells['link'][:80]!r} is not a valid URL (http:// or https://).")

    def _plain(self, number, cells, problem) -> dict:
        """The practice's own fields among the later columns, by field name."""
        values = {}
        for column in self.plain_columns:
            text = cells[column]
            if column in YEAR_COLUMNS:
                values[column] = self._year(column, text, problem)
            elif column == "evaluation_links":
                values[column] = self._links(column, text, problem)
            elif column == "organisation":  # one a line, as the practice holds them: whole
                values[column] = "\n".join(
                    line.rstrip() for line in text.splitlines() if line.strip()
                )
            else:
                limit = PLAIN_TEXT_LIMITS[column]
                if len(text) > limit:
                    problem(column, f"Longer than {limit} characters.")
                values[column] = text
        start, end = values.get("start_year"), values.get("end_year")
        if start is not None and end is not None and end < start:
            problem("end_year", f"The practice ends ({end}) before it starts ({start}).")
        source_id = values.get("source_id")
        if source_id:
            if source_id in self.seen_source_ids:
                problem(
                    "source_id",
                    f"{source_id!r} appears twice in the file"
                    f" (also row {self.seen_source_ids[source_id]}).",
                )
            self.seen_source_ids.setdefault(source_id, number)
            holder = self.source_ids.get(source_id)
            if holder is not None and holder != cells["slug"]:
                problem(
                    "source_id", f"{source_id!r} is the source of another practice, {holder!r}."
                )
        return values

    @cached_property
    def source_ids(self) -> dict:
        """The source id of each practice that has one: {source id: slug}."""
        return dict(Practice.objects.exclude(source_id="").values_list("source_id", "slug"))

    @staticmethod
    def _year(column, text, problem):
        if not text:
            return None
        year = parse_year(text)
        if year is None:
            problem(column, f"{text!r} is not a year like 2021.")
        return year

    def _links(self, column, text, problem) -> str:
        """One address a line, as the practice holds them; the export writes them so."""
        links = [line.strip() for line in text.splitlines() if line.strip()]
        for link in links:
            try:
                self.url_validator(link)
            except ValidationError:
                problem(column, f"{link[:80]!r} is not a valid URL (http:// or https://).")
        return "\n".join(links)

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
