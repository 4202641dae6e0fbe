"""CSV export of a search: every matching practice, streamed in batches.

The export reads plain rows (``values_list``) and looks tag and region names up in small
in-memory tables instead of building model instances: at 100,000 practices that is the
difference between about a thousand and tens of thousands of rows a second.
"""

import codecs
import datetime
import re

from django.db import connections
from django.utils import timezone
from django_countries import countries

from practices.csv_format import COLUMNS, LIST_SEPARATOR, csv_line, neutralise_cell
from practices.models import Practice, Region, TerritorialValidity

EXPORT_BATCH_SIZE = 2000
_PRACTICE_FIELDS = (
    "id",
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
        for relation, _ in _TAG_RELATIONS:
            field = Practice._meta.get_field(relation)
            grouped = {}
            links = _rows_where_in(
                self.database,
                field.m2m_db_table(),
                [field.m2m_column_name(), field.m2m_reverse_name()],
                field.m2m_column_name(),
                practice_ids,
            )
            for practice_id, tag_id in links:
                grouped.setdefault(practice_id, []).append(self.tags[relation][tag_id])
            joined[relation] = {
                practice_id: LIST_SEPARATOR.join(label for _, label in sorted(labels))
                for practice_id, labels in grouped.items()
            }
        return joined


def _rows_where_in(database, table, columns, key, values):
    """``SELECT columns FROM table WHERE key IN values`` in plain SQL: for batches of 2,000 ids
    the ORM's per-value preparation, and on PostgreSQL the parsing of a long IN list, cost
    more than the query. Table and column names come from the models and are quoted."""
    connection = connections[database]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        membership, parameters = "= ANY(%s)", [list(values)]
    else:
        membership, parameters = f"IN ({', '.join(['%s'] * len(values))})", list(values)
    selected = ", ".join(map(quote, columns))
    sql = f"SELECT {selected} FROM {quote(table)} WHERE {quote(key)} {membership}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


def export_batches(practices):
    """Yield the practices of the queryset, in its order, as batches of rows of CSV cells in
    ``COLUMNS`` order.

    The search runs once for the ordered ids (a few MB for 100,000 practices); rows and tags
    are then read a batch of ids at a time, so memory stays flat without a server-side cursor.
    """
    labels = _Labels(practices.db)
    ordered_ids = list(practices.values_list("pk", flat=True))
    columns = [Practice._meta.get_field(name).column for name in _PRACTICE_FIELDS]
    no_region = ("", "", "")
    for start in range(0, len(ordered_ids), EXPORT_BATCH_SIZE):
        batch = ordered_ids[start : start + EXPORT_BATCH_SIZE]
        rows = _rows_where_in(practices.db, Practice._meta.db_table, columns, "id", batch)
        by_id = {row[0]: row for row in rows}
        tags = labels.tags_of(batch)
        cell_rows = []
        for pk in batch:
            _, slug, title, original, description, country, validity, region, link, updated = by_id[
                pk
            ]
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
                _utc_date(updated),
            ]
            cell_rows.append([neutralise_cell(cell) for cell in cells])
        yield cell_rows


def _utc_date(moment):
    if isinstance(moment, str):  # SQLite hands raw SQL results back as text
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).date().isoformat()


def csv_chunks(practices):
    """Yield the export in pieces: a UTF-8 byte-order mark (so Excel reads accents right) and
    the header, then one piece per batch of practices (a few MB: few writes, flat memory)."""
    yield codecs.BOM_UTF8.decode("utf-8") + csv_line(COLUMNS)
    for batch in export_batches(practices):
        yield "".join(map(csv_line, batch))


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
