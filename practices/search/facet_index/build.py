"""Building a facet index from the database: the published practices in title order, a batch
at a time, their single-valued facets and years from their rows and their tags from the link
tables."""

import hashlib
import sys
from array import array

from django.db import connections
from django.utils import timezone

from practices.models import Practice
from practices.search.facet_index import change_log
from practices.search.facet_index.structure import FacetIndex
from practices.search.facets.registry import FACETS, TAGS


def _stored():
    """The facets the index holds bits of: all but those derived from another's
    (``FacetKind.derived``), whose bits the engine makes when it searches."""
    return [spec for spec in FACETS if not spec.kind.derived]


def _single_valued():
    return [spec for spec in _stored() if not spec.multi_valued]


def _spans():
    return [spec for spec in FACETS if spec.end_path]


def rows(queryset):
    """(pk, title, single-valued keys..., span bounds...) of each practice."""
    span_paths = [path for spec in _spans() for path in (spec.path, spec.end_path)]
    paths = (spec.path for spec in _single_valued())
    return queryset.values_list("pk", "title", *paths, *span_paths)


def marker():
    """A function giving the (param, key) of every bit a practice's row sets (its tags
    apart), with what it needs read once, not once a row."""
    single_valued, spans = _single_valued(), _spans()
    count = len(single_valued)
    this_year = timezone.now().year

    def marks(row):
        keys = row[2:]
        for spec, key in zip(single_valued, keys[:count], strict=True):
            if key is not None:  # a practice without a region has no typology
                yield spec.param, key
        bounds = keys[count:]
        for number, spec in enumerate(spans):
            start, end = bounds[2 * number], bounds[2 * number + 1]
            if start is not None:  # a practice of unknown start is active in no known year
                for year in range(start, max(start, end or this_year) + 1):
                    yield spec.param, year

    return marks


def build_index(using, version, *, logged: bool) -> FacetIndex:
    """The index of the published practices at ``version``, read in title order; on a
    database that logs changes, with the change log's position to apply writes from."""
    read_changes_from = None
    if logged:
        read_changes_from = change_log.position(using)
        change_log.prune(using)
    # In title order, as the result list: a page in that order is then a walk along the bits.
    # Read a batch at a time (at 1,000,000 practices the rows and links held at once took
    # most of a worker's memory), into bitmaps that double when a position passes their end.
    published = Practice.objects.using(using).published()
    maps: dict[str, dict] = {spec.param: {} for spec in _stored()}

    def mark(param, key, position):
        bitmap = maps[param].get(key)
        if bitmap is None:
            bitmap = maps[param][key] = bytearray(1024)
        try:
            bitmap[position >> 3] |= 1 << (position & 7)
        except IndexError:
            bitmap.extend(bytes(max(len(bitmap), (position >> 3) + 1 - len(bitmap))))
            bitmap[position >> 3] |= 1 << (position & 7)

    ids, title_hashes = array("q"), array("q")
    marks = marker()
    in_title_order = rows(published.order_by("title", "pk")).iterator(chunk_size=10_000)
    for position, row in enumerate(in_title_order):
        ids.append(row[0])
        title_hashes.append(hash(row[1]))
        for param, key in marks(row):
            mark(param, key, position)
    slot_of = _slots(ids)
    last = len(slot_of) - 1
    for spec in FACETS:
        if spec.kind == TAGS:
            for tag_id, practice_ids in links(using, spec.field):
                for practice_id in practice_ids:
                    position = slot_of[practice_id] if practice_id <= last else -1
                    if position >= 0:
                        mark(spec.param, tag_id, position)
    bits = {
        param: {key: int.from_bytes(bitmap, "little") for key, bitmap in values.items()}
        for param, values in maps.items()
    }
    everything = (1 << len(ids)) - 1
    return FacetIndex(
        version,
        ids,
        everything,
        bits,
        title_hashes,
        read_changes_from,
        layout=layout_of("", ids),
        slot_of=slot_of,
    )


def _slots(ids: array) -> array:
    """Practice id -> position in ``ids``, -1 for the ids not in it."""
    slot_of = array("i", [-1]) * (max(ids, default=0) + 1)
    for position, practice_id in enumerate(ids):
        slot_of[practice_id] = position
    return slot_of


def grown(slot_of: array, practice_id: int) -> array:
    """``slot_of`` long enough to hold ``practice_id``."""
    if practice_id >= len(slot_of):
        slot_of.extend(array("i", [-1]) * (practice_id + 1 - len(slot_of)))
    return slot_of


def layout_of(earlier: str, added_ids: array) -> str:
    return hashlib.blake2b(earlier.encode() + added_ids.tobytes(), digest_size=12).hexdigest()


def links(using, relation):
    """(tag id, the ids of the practices carrying it) for each tag of a many-to-many relation;
    on PostgreSQL each tag's ids come as one string of binary numbers (eight million pairs
    as Python tuples took 600 MB at 1,000,000 practices)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    practice, tag = quote(relation.m2m_column_name()), quote(relation.m2m_reverse_name())
    table = quote(relation.m2m_db_table())
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"SELECT {tag}, {practice} FROM {table} ORDER BY {tag}")  # noqa: S608
            grouped: dict[int, array] = {}
            for tag_id, practice_id in cursor.fetchall():
                grouped.setdefault(tag_id, array("q")).append(practice_id)
            yield from grouped.items()
            return
        cursor.execute(
            f"SELECT {tag}, string_agg(int8send({practice}::bigint), '')"  # noqa: S608
            f" FROM {table} GROUP BY {tag}"
        )
        for tag_id, packed in cursor.fetchall():
            practice_ids = array("q")
            practice_ids.frombytes(bytes(packed))
            if sys.byteorder == "little":  # sent big-endian
                practice_ids.byteswap()
            yield tag_id, practice_ids
