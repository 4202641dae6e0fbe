"""How a facet's values are stored, as classes: one per storage kind, each answering the
questions the rest of the code asks of a facet (in the manner of Datasette's ``facets.py``).

- ``filter(spec)``: the django-filter filter of its URL parameter;
- ``url_values(spec)``: every value its parameter may carry (the forgiving URL reader, the
  OpenAPI enum and the data page's column list read this one answer);
- ``key_of(spec)``: how the engines know a cleaned value (a taxonomy's id, a stored value);
- ``options(spec, engine)``: (key counted by, slug in URLs, name) of each option of a panel;
- ``present_values(spec, practices)``: the values practices hold, for facets listed from
  them (countries, years);
- ``sql_counts(spec, engine, within)``: {key: results} for the SQL engine;
- ``openapi_item(spec)``: the JSON schema of one value, and its bounds in words;
- ``column_values(spec)``: what the CSV column holds, in words, and its values;
- ``values_of(spec, practice)``: (slug, name) of each value a practice holds, for its page;
- ``index_bits(spec, index)``: {key: bitset} of the in-memory index (``derived`` kinds make
  theirs from another facet's, and the index stores nothing of them).

A facet of an existing kind is therefore one registry entry (``registry.FACETS``) plus its
model field and migration. The kinds read the registry's ``FacetSpec`` only through its
declared attributes, so this module imports nothing of the registry.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Count, Max, Min, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from practices.csv_format import LIST_SEPARATOR
from practices.search.facets.kind_filters import (
    ActiveInYearFilter,
    FixedValuesFilter,
    GroupsFilter,
    SlugMultipleChoiceFilter,
    active_in,
)
from practices.years import YEARS


class FacetKind:
    """A way of storing a facet's values; the subclasses below are the ways there are."""

    name = ""
    derived = False  # its values stand for values of another facet: nothing of it is stored

    def __repr__(self):
        return self.name

    def filter(self, spec) -> django_filters.Filter:
        raise NotImplementedError

    def url_values(self, spec) -> list[str]:
        raise NotImplementedError

    def key_of(self, spec):
        return lambda value: getattr(value, "pk", value)

    def options(self, spec, engine) -> list[tuple]:
        choices = [
            (value.pk, value.slug, spec.option_name(value)) for value in spec.model.objects.all()
        ]
        return _sorted(spec, choices)

    def present_values(self, spec, practices) -> list:
        """The values the practices hold (for the facets listed from their values: countries,
        years)."""
        return list(practices.values_list(spec.path, flat=True).distinct())

    def sql_counts(self, spec, engine, within) -> dict:
        rows = within.order_by().values_list(spec.path).annotate(count=Count("pk"))
        return {key: count for key, count in rows if key is not None}

    def index_bits(self, spec, index) -> dict:
        return index.bits[spec.param]

    def openapi_item(self, spec) -> tuple[dict, str]:
        values = self.url_values(spec)
        return {"type": "string", "enum": values}, f"one of {len(values)} values"

    def values_of(self, spec, practice) -> list[tuple[str, str]]:
        value = practice
        for step in spec.path.split("__"):
            value = getattr(value, step) if value is not None else None
        return [] if value is None else [(value.slug, spec.option_name(value))]

    def column_values(self, spec) -> tuple[str, list[str]]:
        by_slug = spec.csv_by_slug
        options = [tag.slug if by_slug else tag.name for tag in spec.model.objects.all()]
        return f"one of the {'codes' if by_slug else 'names'}; may be empty", options


class Taxonomy(FacetKind):
    """Values of a taxonomy, named by slug in URLs."""

    def filter(self, spec):
        return SlugMultipleChoiceFilter(
            field_name=spec.path,
            queryset=spec.model.objects.all(),
            conjoined=spec.multi_valued,
            label=spec.label,
        )

    def url_values(self, spec):
        return list(spec.model.objects.values_list("slug", flat=True))


class Tags(Taxonomy):
    """A many-to-many relation of the practice: several values a practice."""

    name = "tags"

    def sql_counts(self, spec, engine, within):
        relation = spec.field
        rows = (
            relation.remote_field.through.objects.filter(
                practice__in=within.order_by().values("pk")
            )
            .values_list(relation.m2m_reverse_field_name())
            .annotate(count=Count("practice"))
            .order_by()
        )
        return dict(rows)

    def values_of(self, spec, practice):
        # fetched with the practice (``with_tags``) where it can be
        tags = getattr(practice, f"{spec.path}_list", None)
        if tags is None:
            tags = getattr(practice, spec.path).all()
        return [(tag.slug, spec.option_name(tag)) for tag in tags]

    def column_values(self, spec):
        _, options = super().column_values(spec)
        kind = "codes" if spec.csv_by_slug else "names"
        return f"{kind}, separated by '{LIST_SEPARATOR}'; may be empty", options


class Choice(Taxonomy):
    """A foreign key of the practice to a taxonomy: one value a practice."""

    name = "choice"


class Through(Taxonomy):
    """A taxonomy reached through another relation: a region's typology."""

    name = "through"


class Field(FacetKind):
    """A plain field of the practice with choices (the country), named by its stored value."""

    name = "field"

    def filter(self, spec):
        return django_filters.MultipleChoiceFilter(
            field_name=spec.path,
            choices=spec.field.choices,
            widget=forms.CheckboxSelectMultiple,
            distinct=False,
            label=spec.label,
        )

    def url_values(self, spec):
        return sorted(str(code) for code, _ in spec.field.choices)

    def options(self, spec, engine):
        # a blank text field holds "" where no value is given: no option to choose
        codes = [code for code in engine.present_values(spec) if code not in (None, "")]
        return _sorted(spec, [(code, code, spec.option_name(code)) for code in codes])

    def values_of(self, spec, practice):
        code = str(getattr(practice, spec.field.attname) or "")
        return [(code, spec.option_name(code))] if code else []

    def column_values(self, spec):
        return "two capital letters", []


class FixedValues(FacetKind):
    """A plain field of a few values, each named by a slug (evaluated: yes or no)."""

    name = "fixed"

    def filter(self, spec):
        return FixedValuesFilter(
            spec=spec, field_name=spec.path, widget=forms.CheckboxSelectMultiple, label=spec.label
        )

    def url_values(self, spec):
        return [slug for slug, _, _ in spec.fixed_values]

    def key_of(self, spec):
        return spec.stored

    def options(self, spec, engine):
        return [(value, slug, label) for slug, value, label in spec.fixed_values]

    def values_of(self, spec, practice):
        value = getattr(practice, spec.path)
        return [] if value is None else [(spec.slug_of(value), spec.option_name(value))]

    def column_values(self, spec):
        return "one of the values; empty: unknown", self.url_values(spec)


class Span(FacetKind):
    """The years from a start field to an end field: a practice is active in each of them."""

    name = "span"

    def filter(self, spec):
        return ActiveInYearFilter(
            spec=spec,
            field_name=spec.path,
            widget=forms.CheckboxSelectMultiple,
            conjoined=True,  # active in each chosen year
            label=spec.label,
        )

    def url_values(self, spec):
        return [str(year) for year in YEARS]

    def key_of(self, spec):
        return int

    def options(self, spec, engine):  # the most recent first
        years = sorted(engine.present_values(spec), reverse=True)
        return [(year, str(year), str(year)) for year in years]

    def sql_counts(self, spec, engine, within):
        """The results active in each year a practice runs, in one aggregate query."""
        years = engine.present_values(spec)
        if not years:
            return {}
        counts = engine.filterset.qs.order_by().aggregate(
            **{f"y{year}": Count("pk", filter=active_in(spec, year)) for year in years}
        )
        return {int(name[1:]): count for name, count in counts.items()}

    def openapi_item(self, spec):
        item = {"type": "integer", "minimum": YEARS.start, "maximum": YEARS.stop - 1}
        return item, f"years from {YEARS.start} to {YEARS.stop - 1}"

    def values_of(self, spec, practice):
        return []  # the page gives the period itself, from its start and end

    def column_values(self, spec):
        return "a year (four digits); empty: unknown", []

    def present_values(self, spec, practices) -> list[int]:
        """Every year from the earliest start to the latest end (or this year), as the index
        marks them."""
        last = Greatest(spec.path, Coalesce(spec.end_path, Value(timezone.now().year)))
        bounds = practices.filter(**{f"{spec.path}__isnull": False}).aggregate(
            first=Min(spec.path), last=Max(last)
        )
        if bounds["first"] is None:
            return []
        return list(range(bounds["first"], bounds["last"] + 1))


class Groups(FacetKind):
    """Groups of another facet's stored values, each named by a slug (country groups,
    ``practices.country_groups``): a group stands for its values, so the facet is filtered
    and counted through the field it groups and stores nothing of its own. Groups may
    overlap; any chosen group matches (their union), and a group's count leaves the facet's
    own selection out, as a single choice's does."""

    name = "groups"
    derived = True

    def filter(self, spec):
        return GroupsFilter(
            spec=spec,
            field_name=spec.path,
            widget=forms.CheckboxSelectMultiple,
            distinct=False,
            label=spec.label,
        )

    def url_values(self, spec):
        return [group.slug for group in spec.groups()]

    def key_of(self, spec):
        return str

    def options(self, spec, engine):
        return [(group.slug, group.slug, group.name) for group in spec.groups()]

    def sql_counts(self, spec, engine, within):
        """The results in each group, from the results counted by stored value in one query
        (a practice holds one value, so a group's count is the sum of its values' counts)."""
        by_value = super().sql_counts(spec, engine, within)
        return {
            group.slug: sum(by_value.get(value, 0) for value in group.codes)
            for group in spec.groups()
        }

    def index_bits(self, spec, index):
        by_value = index.bits[spec.groups_of]
        return {
            group.slug: reduce(or_, (by_value[value] for value in group.codes & by_value.keys()), 0)
            for group in spec.groups()
        }

    def values_of(self, spec, practice):
        value = str(getattr(practice, spec.field.attname) or "")
        return [(group.slug, group.name) for group in spec.groups() if value in group.codes]

    def column_values(self, spec):
        names = [group.name for group in spec.groups()]
        return f"names, separated by '{LIST_SEPARATOR}'; may be empty", names


def _sorted(spec, choices):
    if spec.options_by_name:
        choices.sort(key=lambda choice: choice[2])
    return choices


TAGS, CHOICE, THROUGH, FIELD = Tags(), Choice(), Through(), Field()
FIXED, SPAN, GROUPS = FixedValues(), Span(), Groups()
