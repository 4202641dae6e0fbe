"""CSV export of a search: every matching practice, streamed in batches.

The export reads plain rows (``values_list``) and looks tag and region names up in small
in-memory tables instead of building model instances: at 100,000 practices that is the
difference between about a thousand and tens of thousands of rows a second.
"""

import codecs
import datetime
import re
from itertools import islice

from django.db import connections
from django.utils import timezone
from django_countries import countries

from practices.csv_format import COLUMNS, LIST_SEPARATOR, csv_line, neutralise_cell
from practices.models import Practice, Region, TerritorialValidity

EXPORT_BATCH_SIZE = 2000
_PRACTICE_FIELDS = (
    "pk",
    "slug",
    "title",
    "original_title",
    "description",
    "country",
    "territorial_validity_id",
    "region_id",
    "link",
    "updated_at",
)
# Multi-valued relations in column order, and whether the column holds slugs (else names).
_TAG_RELATIONS = [
    ("priorities", False),
    ("recommendations", True),
    ("challenges", False),
    ("support_types", False),
]


class _Labels:
    """Names of everything a row refers to, loaded once per export."""

    def __init__(self, database):
        self.database = database
        self.country_names = dict(countries)
        self.validities = dict(TerritorialValidity.objects.values_list("pk", "name"))
        self.regions = {
            region.pk: (region.code, region.name, region.typology.name)
            for region in Region.objects.select_related("typology")
        }
        self.tags = {}
        for relation, by_slug in _TAG_RELATIONS:
            field = Practice._meta.get_field(relation)
            ordered = field.remote_field.model.objects.all()  # the taxonomy's own ordering
            self.tags[relation] = {
                tag.pk: (position, tag.slug if by_slug else tag.name)
                for position, tag in enumerate(ordered)
            }

    def tags_of(self, practice_ids):
        """For each relation, the joined labels of each practice: {relation: {id: "a; b"}}."""
        joined = {}
        connection = connections[self.database]
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(practice_ids))
        for relation, _ in _TAG_RELATIONS:
            field = Practice._meta.get_field(relation)
            # Plain SQL: the ORM's per-value preparation of 2,000 ids cost more than the query.
            # Table and column names come from the models, quoted; the ids are parameters.
            practice_column = quote(field.m2m_column_name())
            tag_column = quote(field.m2m_reverse_name())
            table = quote(field.m2m_db_table())
            sql = f"SELECT {practice_column}, {tag_column} FROM {table} WHERE {practice_column} IN ({placeholders})"  # noqa: S608, E501
            grouped = {}
            with connection.cursor() as cursor:
                cursor.execute(sql, practice_ids)
                for practice_id, tag_id in cursor.fetchall():
                    grouped.setdefault(practice_id, []).append(self.tags[relation][tag_id])
            joined[relation] = {
                practice_id: LIST_SEPARATOR.join(label for _, label in sorted(labels))
                for practice_id, labels in grouped.items()
            }
        return joined


def export_rows(practices):
    """Yield each practice of the queryset as CSV cells in ``COLUMNS`` order, in its order."""
    labels = _Labels(practices.db)
    rows = practices.values_list(*_PRACTICE_FIELDS).iterator(chunk_size=EXPORT_BATCH_SIZE)
    no_region = ("", "", "")
    while batch := list(islice(rows, EXPORT_BATCH_SIZE)):
        tags = labels.tags_of([row[0] for row in batch])
        for (
            pk,
            slug,
            title,
            original,
            description,
            country,
            validity,
            region,
            link,
            updated,
        ) in batch:
            region_code, region_name, typology = labels.regions.get(region, no_region)
            cells = [
                slug,
                title,
                original,
                description,
                country,
                labels.country_names.get(country, country),
                labels.validities[validity],
                tags["priorities"].get(pk, ""),
                tags["recommendations"].get(pk, ""),
                tags["challenges"].get(pk, ""),
                tags["support_types"].get(pk, ""),
                region_code,
                region_name,
                typology,
                link,
                updated.astimezone(datetime.UTC).date().isoformat(),
            ]
            yield [neutralise_cell(cell) for cell in cells]


def csv_lines(practices):
    """Yield the export line by line: a UTF-8 byte-order mark (so Excel reads accents right),
    the header, then one line per practice."""
    yield codecs.BOM_UTF8.decode("utf-8") + csv_line(COLUMNS)
    for cells in export_rows(practices):
        yield csv_line(cells)


def export_filename(params, *, today=None) -> str:
    """A file name saying what was searched and when, e.g.
    ``practices_challenge-skills_priority-green-transition_2026-11-25.csv``."""
    today = today or timezone.localdate()
    parts = []
    for key in params:
        for value in params.getlist(key):
            parts.append(f"{key}-{value}")
    described = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts)).strip("-_")[:120]
    return "_".join(part for part in ["practices", described, today.isoformat()] if part) + ".csv"
