"""What both CSV writers (``exports`` in Python, ``exports_postgresql`` in SQL) need: the names
of everything a practice's row refers to, read by id in plain SQL (``practices.db.rows_where_in``).

Which columns hold what comes from the registry: a facet stored as tags (``registry.TAGS``)
or as a foreign key of the practice (``registry.CHOICE``) is written generically; the
country, the region and its typology are columns of the practice itself; the country groups
(``registry.GROUPS``) are named from the country.
"""

import datetime

from django.utils import timezone
from django_countries import countries

from practices.csv_format import LIST_SEPARATOR, PLAIN_COLUMNS
from practices.db import rows_where_in
from practices.models import Practice, Region
from practices.search.facets.registry import (
    CHOICE,
    GROUPS,
    TAGS,
    field_facets,
    of_kind,
    with_fixed_values,
)

EXPORT_BATCH_SIZE = 2000
# The practice's own columns that the writers read (the facets' foreign keys come after).
PRACTICE_FIELDS = (
    "id",
    "slug",
    "title",
    "original_title",
    "description",
    "country",
    "region",
    "link",
    "updated_at",
)


class Labels:
    """Names of everything a row refers to, loaded once per export."""

    def __init__(self, database):
        self.database = database
        self.tag_facets = of_kind(TAGS)
        self.choice_facets = of_kind(CHOICE)
        self.fixed_facets = with_fixed_values()
        self.field_facets = field_facets()
        self.country_names = dict(countries)
        # param -> {stored value: the names of its groups}, for the facets of groups; a
        # value in no group is absent (its cell is empty)
        self.group_facets = of_kind(GROUPS)
        self.group_names = {spec.param: _group_names(spec) for spec in self.group_facets}
        # param -> {id: name}, for the facets held in a foreign key of the practice
        self.choices = {
            spec.param: dict(spec.model.objects.using(database).values_list("pk", "name"))
            for spec in self.choice_facets
        }
        self.regions = {
            region.pk: (region.code, region.name, region.typology.name if region.typology else "")
            for region in Region.objects.using(database).select_related("typology")
        }
        # param -> {id: (position in the taxonomy's own order, label)}
        self.tags = {}
        # csv_names_column -> {id: (position, name)}, for the facets written by slug
        self.tag_names = {}
        self.named_facets = [spec for spec in self.tag_facets if spec.csv_names_column]
        for spec in self.tag_facets:
            ordered = list(spec.model.objects.using(database).all())
            self.tags[spec.param] = {
                tag.pk: (position, tag.slug if spec.csv_by_slug else tag.name)
                for position, tag in enumerate(ordered)
            }
            if spec.csv_names_column:
                self.tag_names[spec.csv_names_column] = {
                    tag.pk: (position, tag.name) for position, tag in enumerate(ordered)
                }

    def tags_of(self, practice_ids):
        """For each tag facet, the joined labels of each practice: {param: {id: "a; b"}};
        for a facet written by slug, its names too, under its names column."""
        joined = {}
        for spec in self.tag_facets:
            relation = spec.field
            grouped = {}
            links = rows_where_in(
                self.database,
                relation.m2m_db_table(),
                [relation.m2m_column_name(), relation.m2m_reverse_name()],
                relation.m2m_column_name(),
                practice_ids,
            )
            for practice_id, tag_id in links:
                grouped.setdefault(practice_id, []).append(tag_id)
            joined[spec.param] = _joined(grouped, self.tags[spec.param])
            if spec.csv_names_column:
                names = self.tag_names[spec.csv_names_column]
                joined[spec.csv_names_column] = _joined(grouped, names)
        return joined


def _group_names(spec) -> dict:
    names: dict[str, list[str]] = {}
    for group in spec.groups():
        for value in group.codes:
            names.setdefault(value, []).append(group.name)
    return {value: LIST_SEPARATOR.join(group_names) for value, group_names in names.items()}


def _joined(tag_ids_by_practice, labels) -> dict:
    return {
        practice_id: LIST_SEPARATOR.join(label for _, label in sorted(map(labels.get, tag_ids)))
        for practice_id, tag_ids in tag_ids_by_practice.items()
    }


def practice_columns() -> list[str]:
    """The database columns the writers read of each practice: ``PRACTICE_FIELDS``, the
    foreign key of each ``CHOICE`` facet, the field of each fixed-value facet and of each
    other plain-field facet, then the plain fields of ``csv_format.PLAIN_COLUMNS``."""
    names = [
        *PRACTICE_FIELDS,
        *(spec.path for spec in of_kind(CHOICE)),
        *(spec.path for spec in with_fixed_values()),
        *(spec.path for spec in field_facets()),
        *PLAIN_COLUMNS,
    ]
    return [Practice._meta.get_field(name).column for name in names]


def utc_date(moment) -> str:
    if isinstance(moment, str):  # SQLite hands raw SQL results back as text
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).date().isoformat()
