"""An in-memory index of published practices for facet counts: one bitset per facet value.

Counting a facet option is then an AND and a popcount on 100,000-bit integers (microseconds)
instead of a GROUP BY over joins. The index belongs to one process and is brought up to date
when the database's data version (raised by triggers on every write; see DataVersion) has
moved, so it is never stale: the version is read before the data, so a write during an
update only causes one more. Its bitsets are those of the facets of ``registry.FACETS``.

On PostgreSQL, after a write the index applies only the practices the change log names
(``PracticeChange``, kept by triggers): their bits are cleared and set again from their rows,
at a cost that follows the size of the change, not of the database. A change that moves a
practice in title order (one published, unpublished or retitled), a region's change, more
than ``MOST_CHANGES_APPLIED`` practices at once, or an index made inside a transaction (which
may yet roll back what it read) rebuild the index instead. SQLite keeps no log and rebuilds.
"""

import threading
from array import array
from dataclasses import dataclass, replace

from django.db import connections
from django.utils import timezone

from practices.export_labels import rows_where_in
from practices.models import DataVersion, Practice, PracticeChange
from practices.search.registry import FACETS, TAGS

MOST_CHANGES_APPLIED = 500  # beyond this, rebuilding is quicker than applying
LONGEST_CHANGE_LOG = 20_000  # rows kept; a rebuild prunes the older ones


@dataclass
class FacetIndex:
    version: int
    positions: dict  # practice id -> bit position, in the order of the titles
    ids: list  # bit position -> practice id
    everything: int  # all published practices
    bits: dict  # param -> {value key -> bitset}
    title_hashes: array  # bit position -> hash of the title (has it moved in title order?)
    # where the change log is read from next (see ``_changes_since``); None: rebuild instead
    read_changes_from: int | None

    def bytes_of(self, bits: int) -> bytes:
        """A bitset as bytes, bit ``n`` in byte ``n // 8``: cheaper to walk than the int."""
        return bits.to_bytes((len(self.ids) + 7) // 8, "little")

    def positions_of(self, bits: int, most: int | None = None) -> list[int]:
        """The positions set in ``bits``, in index order; the first ``most`` only if given."""
        positions = []
        if most is not None and most <= 0:
            return positions
        for byte_number, byte in enumerate(self.bytes_of(bits)):
            while byte:
                lowest = byte & -byte
                positions.append(byte_number * 8 + lowest.bit_length() - 1)
                if len(positions) == most:
                    return positions
                byte ^= lowest
        return positions


_lock = threading.Lock()
_indexes: dict[str, FacetIndex] = {}
# (database, version) -> (the version it was applied to, the positions applied), for the
# indexes this process brought up to date by applying changes: how far a keyword's ranking
# made on an earlier version can follow (``changed_since``).
_lineage: dict[tuple, tuple] = {}
MOST_LINEAGE = 256


def data_version(using: str = "default") -> int | None:
    """The database's data version; None where the table's row is missing (a database that
    was never migrated with this app's post_migrate)."""
    return DataVersion.objects.using(using).filter(pk=1).values_list("version", flat=True).first()


def current_index(using: str = "default", version: int | None = None) -> FacetIndex:
    """The index for this database at ``version`` (read when not given), brought up to date
    if the data changed."""
    version = data_version(using) if version is None else version
    index = _indexes.get(using)
    if index is not None and index.version == version:
        return index
    with _lock:
        index = _indexes.get(using)
        if index is None or index.version != version:
            connection = connections[using]
            logged = connection.vendor == "postgresql" and not connection.in_atomic_block
            updated = None
            if logged and index is not None and index.read_changes_from is not None:
                updated = _updated(using, index, version)
            if updated is None:
                index = _build(using, version, logged=logged)
            else:
                _lineage[(using, version)] = (index.version, updated[1])
                while len(_lineage) > MOST_LINEAGE:
                    _lineage.pop(next(iter(_lineage)))
                index = updated[0]
            _indexes[using] = index
    return index


def changed_since(using: str, index: FacetIndex, wanted) -> tuple | None:
    """(the latest earlier version for which ``wanted(version)`` is true, the positions
    changed from it to ``index``) when ``index`` came from it by applying changes only (in
    this process), else None."""
    version, changed = index.version, 0
    for _ in range(MOST_LINEAGE):
        step = _lineage.get((using, version))
        if step is None:
            return None
        version, applied = step
        changed |= applied
        if wanted(version):
            return version, changed
    return None


def _single_valued():
    return [spec for spec in FACETS if not spec.multi_valued]


def _spans():
    return [spec for spec in FACETS if spec.end_path]


def _rows(queryset):
    """(pk, title, single-valued keys..., span bounds...) of each practice."""
    span_paths = [path for spec in _spans() for path in (spec.path, spec.end_path)]
    paths = (spec.path for spec in _single_valued())
    return list(queryset.values_list("pk", "title", *paths, *span_paths))


def _marker():
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


def _build(using, version, *, logged: bool) -> FacetIndex:
    read_changes_from = None
    if logged:
        read_changes_from = _change_log_position(using)
        _prune_change_log(using)
    # In title order, as the result list: a page in that order is then a walk along the bits.
    rows = _rows(Practice.objects.using(using).published().order_by("title", "pk"))
    positions = {row[0]: position for position, row in enumerate(rows)}
    size = (len(rows) + 7) // 8
    maps: dict[str, dict] = {spec.param: {} for spec in FACETS}

    def mark(param, key, position):
        bitmap = maps[param].get(key)
        if bitmap is None:
            bitmap = maps[param][key] = bytearray(size)
        bitmap[position >> 3] |= 1 << (position & 7)

    marks = _marker()
    for position, row in enumerate(rows):
        for param, key in marks(row):
            mark(param, key, position)
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
    title_hashes = array("q", (hash(row[1]) for row in rows))
    everything = (1 << len(rows)) - 1
    return FacetIndex(version, positions, ids, everything, bits, title_hashes, read_changes_from)


def _updated(using, index, version) -> tuple[FacetIndex, int] | None:
    """(``index`` with the practices changed since it last read the change log applied, the
    positions of those practices as a bitset), or None when it must be rebuilt instead."""
    changed, read_changes_from = _changes_since(using, index.read_changes_from)
    if changed is None or len(changed) > MOST_CHANGES_APPLIED:
        return None
    if not changed:
        return replace(index, version=version, read_changes_from=read_changes_from), 0
    published = Practice.objects.using(using).published().filter(pk__in=changed)
    rows = {row[0]: row for row in _rows(published)}
    for practice_id in changed:
        position, row = index.positions.get(practice_id), rows.get(practice_id)
        if (position is None) != (row is None):
            return None  # published, unpublished or deleted: the title order changes
        if row is not None and hash(row[1]) != index.title_hashes[position]:
            return None  # retitled: it may move in title order
    fresh: dict[str, dict] = {spec.param: {} for spec in FACETS}
    mask = 0
    marks = _marker()
    for practice_id, row in rows.items():
        position = index.positions[practice_id]
        mask |= 1 << position
        for param, key in marks(row):
            fresh[param][key] = fresh[param].get(key, 0) | 1 << position
    for spec in FACETS:
        if spec.kind == TAGS and rows:
            relation = spec.field
            links = rows_where_in(
                using,
                relation.m2m_db_table(),
                [relation.m2m_column_name(), relation.m2m_reverse_name()],
                relation.m2m_column_name(),
                list(rows),
            )
            for practice_id, tag_id in links:
                bit = 1 << index.positions[practice_id]
                fresh[spec.param][tag_id] = fresh[spec.param].get(tag_id, 0) | bit
    keep = ~mask
    bits = {}
    for param, values in index.bits.items():
        new_values = fresh[param]
        merged = {}
        for key in values.keys() | new_values.keys():
            value = (values.get(key, 0) & keep) | new_values.get(key, 0)
            if value:
                merged[key] = value
        bits[param] = merged
    updated = replace(index, version=version, bits=bits, read_changes_from=read_changes_from)
    return updated, mask


def _change_log_position(using) -> int:
    """Where a reader starting now reads the change log from: the oldest transaction still
    running (a write not yet committed has that id or a later one)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _changes_since(using, position) -> tuple[set | None, int]:
    """(the ids of the practices changed by the transactions from ``position`` on, or None
    when anything may have changed; where to read from next), in one statement, so from one
    snapshot. Entries read twice are applied twice, which changes nothing."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"  # noqa: S608
            f" array(SELECT DISTINCT coalesce(practice_id, -1) FROM {_change_table(connection)}"
            " WHERE transaction >= %s)",
            [position],
        )
        read_from, found = cursor.fetchone()
    changed = set(found)
    return (None if -1 in changed else changed), read_from


def _prune_change_log(using):
    """Keep the change log short. An index that had not read what is deleted here finds the
    entry for "anything" written in its place, and rebuilds."""
    connection = connections[using]
    table = _change_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        if cursor.fetchone()[0] <= LONGEST_CHANGE_LOG:
            return
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (practice_id, transaction)"  # noqa: S608
            " VALUES (NULL, pg_current_xact_id()::text::bigint)"
        )


def _change_table(connection) -> str:
    return connection.ops.quote_name(PracticeChange._meta.db_table)


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
