"""An in-memory index of published practices for facet counts: one bitset per facet value.

Counting a facet option is then an AND and a popcount on 100,000-bit integers (microseconds)
instead of a GROUP BY over joins. The index belongs to one process and is rebuilt when the
database's data version (raised by triggers on every write; see DataVersion) has moved, so
it is never stale: the version is read before the data, so a write during a rebuild only
causes one more rebuild.
"""

import threading
from dataclasses import dataclass

from django.db import connections

from practices.models import DataVersion, Practice, Region

SINGLE_VALUED = ("territorial_validity", "typology", "country")
TAGS = {
    "priority": "priorities",
    "challenge": "challenges",
    "support": "support_types",
    "recommendation": "recommendations",
}


@dataclass
class FacetIndex:
    version: int
    positions: dict  # practice id -> bit position, in the order of the titles
    ids: list  # bit position -> practice id
    everything: int  # all published practices
    bits: dict  # param -> {value key -> bitset}


_lock = threading.Lock()
_indexes: dict[str, FacetIndex] = {}


def current_index(using: str = "default") -> FacetIndex | None:
    """The index for this database, rebuilt if the data changed; None when the database has
    no data version (then callers count with SQL)."""
    version = (
        DataVersion.objects.using(using).filter(pk=1).values_list("version", flat=True).first()
    )
    if version is None:
        return None
    index = _indexes.get(using)
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _indexes.get(using)
        if index is None or index.version != version:
            index = _build(using, version)
            _indexes[using] = index
    return index


def _build(using, version) -> FacetIndex:
    # In title order, as the result list: a page in that order is then a walk along the bits.
    published = Practice.objects.using(using).published().order_by("title", "pk")
    rows = list(published.values_list("pk", "territorial_validity_id", "region_id", "country"))
    positions = {row[0]: position for position, row in enumerate(rows)}
    size = (len(rows) + 7) // 8
    maps: dict[str, dict] = {param: {} for param in (*SINGLE_VALUED, *TAGS)}

    def mark(param, key, position):
        bitmap = maps[param].get(key)
        if bitmap is None:
            bitmap = maps[param][key] = bytearray(size)
        bitmap[position >> 3] |= 1 << (position & 7)

    typology_of_region = dict(Region.objects.using(using).values_list("pk", "typology_id"))
    for position, (_, validity, region, country) in enumerate(rows):
        mark("territorial_validity", validity, position)
        mark("country", country, position)
        if region is not None:
            mark("typology", typology_of_region[region], position)
    connection = connections[using]
    for param, relation in TAGS.items():
        field = Practice._meta.get_field(relation)
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())} "  # noqa: S608
            f"FROM {quote(field.m2m_db_table())}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for practice_id, tag_id in cursor.fetchall():
                position = positions.get(practice_id)
                if position is not None:
                    mark(param, tag_id, position)
    bits = {
        param: {key: int.from_bytes(bitmap, "little") for key, bitmap in values.items()}
        for param, values in maps.items()
    }
    ids = [row[0] for row in rows]
    return FacetIndex(version, positions, ids, (1 << len(rows)) - 1, bits)
