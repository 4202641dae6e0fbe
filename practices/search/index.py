"""An in-memory index of published practices for facet counts: one bitset per facet value.

Counting a facet option is then an AND and a popcount on 100,000-bit integers (microseconds)
instead of a GROUP BY over joins. The index belongs to one process and is rebuilt when the
database's data version (raised by triggers on every write; see DataVersion) has moved, so
it is never stale: the version is read before the data, so a write during a rebuild only
causes one more rebuild. Its bitsets are those of the facets of ``registry.FACETS``.
"""

import threading
from dataclasses import dataclass

from django.db import connections
from django.utils import timezone

from practices.models import DataVersion, Practice
from practices.search.registry import FACETS, TAGS


@dataclass
class FacetIndex:
    version: int
    positions: dict  # practice id -> bit position, in the order of the titles
    ids: list  # bit position -> practice id
    everything: int  # all published practices
    bits: dict  # param -> {value key -> bitset}

    def bytes_of(self, bits: int) -> bytes:
        """A bitset as bytes, bit ``n`` in byte ``n // 8``: cheaper to walk than the int."""
        return bits.to_bytes((len(self.ids) + 7) // 8, "little")


_lock = threading.Lock()
_indexes: dict[str, FacetIndex] = {}


def data_version(using: str = "default") -> int | None:
    """The database's data version; None where the table's row is missing (a database that
    was never migrated with this app's post_migrate)."""
    return DataVersion.objects.using(using).filter(pk=1).values_list("version", flat=True).first()


def current_index(using: str = "default", version: int | None = None) -> FacetIndex:
    """The index for this database at ``version`` (read when not given), rebuilt if the data
    changed."""
    version = data_version(using) if version is None else version
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
    single_valued = [spec for spec in FACETS if not spec.multi_valued]
    spans = [spec for spec in FACETS if spec.end_path]
    span_paths = [path for spec in spans for path in (spec.path, spec.end_path)]
    rows = list(published.values_list("pk", *(spec.path for spec in single_valued), *span_paths))
    positions = {row[0]: position for position, row in enumerate(rows)}
    size = (len(rows) + 7) // 8
    maps: dict[str, dict] = {spec.param: {} for spec in FACETS}

    def mark(param, key, position):
        bitmap = maps[param].get(key)
        if bitmap is None:
            bitmap = maps[param][key] = bytearray(size)
        bitmap[position >> 3] |= 1 << (position & 7)

    this_year = timezone.now().year
    for position, (_, *keys) in enumerate(rows):
        for spec, key in zip(single_valued, keys[: len(single_valued)], strict=True):
            if key is not None:  # a practice without a region has no typology
                mark(spec.param, key, position)
        bounds = keys[len(single_valued) :]
        for number, spec in enumerate(spans):
            start, end = bounds[2 * number], bounds[2 * number + 1]
            if start is not None:  # a practice of unknown start is active in no known year
                for year in range(start, max(start, end or this_year) + 1):
                    mark(spec.param, year, position)
    for spec in FACETS:
        if spec.kind == TAGS:
            for practice_id, tag_id in _links(using, spec.field):
                position = positions.get(practice_id)
                if position is not None:
                    mark(spec.param, tag_id, position)
    bits = {
        param: {key: int.from_bytes(bitmap, "little") for key, bitmap in values.items()}
        for param, values in maps.items()
    }
    ids = [row[0] for row in rows]
    return FacetIndex(version, positions, ids, (1 << len(rows)) - 1, bits)


def _links(using, relation):
    """Every (practice id, tag id) row of a many-to-many relation, read without the ORM."""
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(relation.m2m_column_name())}, {quote(relation.m2m_reverse_name())} "  # noqa: S608
        f"FROM {quote(relation.m2m_db_table())}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
