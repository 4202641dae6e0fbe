"""An in-memory index of published practices for facet counts: one bitset per facet value.

Counting a facet option is then an AND and a popcount on 100,000-bit integers (microseconds)
instead of a GROUP BY over joins. The index belongs to one process and is brought up to date
when the database's data version (raised by triggers on every write; see DataVersion) has
moved, so it is never stale: the version is read before the data, so a write during an
update only causes one more. Its bitsets are those of the facets of ``registry.FACETS``.

Each published practice has a bit position (a slot). A build gives the slots in title order,
so a page in title order is a walk along the bits. On PostgreSQL, after a write the index
applies only the practices the change log names (``PracticeChange``, kept by triggers): their
bits are cleared and set again from their rows, at a cost that follows the size of the change,
not of the database. A practice published (or imported) since the build takes the next free
slot, one unpublished or deleted leaves its slot empty, and one that moved in title order (new
or retitled) is "late": its place in title order is kept beside the slots, as the slot it
follows (``late``), placed by the database so that its collation decides. A region's change,
more than ``MOST_CHANGES_APPLIED`` practices at once, more than ``MOST_LATE`` late practices,
or an index made inside a transaction (which may yet roll back what it read) rebuild the index
instead. SQLite keeps no log and rebuilds.
"""

import bisect
import hashlib
import sys
import threading
from array import array
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db import connections
from django.utils import timezone

from practices.db import rows_where_in
from practices.models import DataVersion, Practice, PracticeChange
from practices.search.facets.registry import FACETS, TAGS

MOST_CHANGES_APPLIED = 500  # beyond this, rebuilding is quicker than applying
MOST_LATE = 2_000  # practices out of slot order; beyond this, a rebuild puts them back in it
LONGEST_CHANGE_LOG = 20_000  # rows kept; a rebuild prunes the older ones


@dataclass
class FacetIndex:
    version: int
    ids: array  # bit position -> practice id (also of a slot left empty)
    everything: int  # all published practices
    bits: dict  # param -> {value key -> bitset}
    title_hashes: array  # bit position -> hash of the title (has it moved in title order?)
    # the snapshot of the last read of the change log: entries of the transactions it did not
    # see are read next (see ``_changes_since``); None: rebuild instead
    read_changes_from: str | None
    # practices out of slot order, in title order: position -> the slot it follows (-1: first)
    late: dict = field(default_factory=dict)
    # the same for two indexes only if their slots hold the same practices: what a position
    # in a ranking shared between processes means
    layout: str = ""
    # practice id -> its position, -1 where none (an array: at 1,000,000 practices a dict
    # took 100 MB)
    slot_of: array = field(default_factory=lambda: array("i"))

    def position_of(self, practice_id: int) -> int | None:
        """The position of a published practice, None for any other."""
        if 0 <= practice_id < len(self.slot_of):
            position = self.slot_of[practice_id]
            if position >= 0:
                return position
        return None

    def bytes_of(self, bits: int) -> bytes:
        """A bitset as bytes, bit ``n`` in byte ``n // 8``: cheaper to walk than the int."""
        return bits.to_bytes((len(self.ids) + 7) // 8, "little")

    def in_title_order(self, bits: int, skip: int = 0, most: int | None = None) -> list[int]:
        """The positions set in ``bits`` in title order, leaving out the first ``skip``; the
        next ``most`` only if given."""
        if not self.late:
            return self.positions_of(bits, most, skip=skip)
        found: list[int] = []
        if most is not None and most <= 0:
            return found
        chosen = self.bytes_of(bits)
        late = [
            (anchor, position)
            for position, anchor in self.late.items()
            if chosen[position >> 3] >> (position & 7) & 1
        ]  # anchors rise along title order
        seen, next_late = 0, 0

        def take(position) -> bool:
            nonlocal seen
            if seen >= skip:
                found.append(position)
            seen += 1
            return len(found) == most

        while next_late < len(late) and late[next_late][0] < 0:
            if take(late[next_late][1]):
                return found
            next_late += 1
        for byte_number, byte in enumerate(self.bytes_of(bits & ~self.late_bits)):
            base, last = byte_number * 8, next_late
            while last < len(late) and late[last][0] < base + 8:
                last += 1
            here = byte.bit_count() + last - next_late
            if seen + here <= skip:  # all before the wanted ones
                seen, next_late = seen + here, last
                continue
            for bit in range(8):
                if byte >> bit & 1 and take(base + bit):
                    return found
                while next_late < last and late[next_late][0] == base + bit:
                    if take(late[next_late][1]):
                        return found
                    next_late += 1
        return found

    def title_key(self, position: int) -> int:
        """An integer that rises along title order (below 2**32 within ``MOST_LATE``): the
        position itself while none is late; else, with room after each slot for the late
        practices that follow it."""
        if not self.late:
            return position
        step = len(self.late) + 1
        anchor = self.late.get(position)
        if anchor is None:
            return (position + 1) * step
        return (anchor + 1) * step + 1 + self._late_rank[position]

    def position_at(self, title_key: int) -> int:
        """The position whose ``title_key`` this is."""
        if not self.late:
            return title_key
        slot, offset = divmod(title_key, len(self.late) + 1)
        return slot - 1 if offset == 0 else self._late_order[offset - 1]

    @cached_property
    def late_bits(self) -> int:
        """The late practices' positions as a bitset."""
        bits = 0
        for position in self.late:
            bits |= 1 << position
        return bits

    @cached_property
    def _late_rank(self) -> dict:
        return {position: rank for rank, position in enumerate(self.late)}

    @cached_property
    def _late_order(self) -> list:
        return list(self.late)

    def positions_of(self, bits: int, most: int | None = None, skip: int = 0) -> list[int]:
        """The positions set in ``bits``, in slot order, leaving out the first ``skip``; the
        next ``most`` only if given."""
        positions = []
        if most is not None and most <= 0:
            return positions
        seen = 0
        for byte_number, byte in enumerate(self.bytes_of(bits)):
            if seen < skip:
                if seen + byte.bit_count() <= skip:
                    seen += byte.bit_count()
                    continue
                while seen < skip:  # the bits of this byte before the wanted ones
                    byte &= byte - 1
                    seen += 1
            while byte:
                lowest = byte & -byte
                positions.append(byte_number * 8 + lowest.bit_length() - 1)
                if len(positions) == most:
                    return positions
                byte ^= lowest
        return positions


_lock = threading.Lock()
_indexes: dict[str, FacetIndex] = {}
# (database, version) -> (the version it was applied to, that index's layout, the positions
# applied), for the indexes this process brought up to date by applying changes: how far a
# keyword's ranking made on an earlier version can follow (``changed_since``).
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
                _lineage[(using, version)] = (index.version, index.layout, updated[1])
                while len(_lineage) > MOST_LINEAGE:
                    _lineage.pop(next(iter(_lineage)))
                index = updated[0]
            _indexes[using] = index
    return index


def changed_since(using: str, index: FacetIndex, wanted) -> tuple | None:
    """(the latest earlier version and its layout for which ``wanted(version, layout)`` is
    true, the positions changed from it to ``index``) when ``index`` came from it by applying
    changes only (in this process), else None. Its positions mean the same in ``index``:
    slots are only added."""
    version, changed = index.version, 0
    for _ in range(MOST_LINEAGE):
        step = _lineage.get((using, version))
        if step is None:
            return None
        version, layout, applied = step
        changed |= applied
        if wanted(version, layout):
            return version, layout, changed
    return None


def _single_valued():
    return [spec for spec in FACETS if not spec.multi_valued]


def _spans():
    return [spec for spec in FACETS if spec.end_path]


def _rows(queryset):
    """(pk, title, single-valued keys..., span bounds...) of each practice."""
    span_paths = [path for spec in _spans() for path in (spec.path, spec.end_path)]
    paths = (spec.path for spec in _single_valued())
    return queryset.values_list("pk", "title", *paths, *span_paths)


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
    # Read a batch at a time (at 1,000,000 practices the rows and links held at once took
    # most of a worker's memory), into bitmaps that double when a position passes their end.
    published = Practice.objects.using(using).published()
    maps: dict[str, dict] = {spec.param: {} for spec in FACETS}

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
    marks = _marker()
    rows = _rows(published.order_by("title", "pk")).iterator(chunk_size=10_000)
    for position, row in enumerate(rows):
        ids.append(row[0])
        title_hashes.append(hash(row[1]))
        for param, key in marks(row):
            mark(param, key, position)
    slot_of = _slots(ids)
    last = len(slot_of) - 1
    for spec in FACETS:
        if spec.kind == TAGS:
            for tag_id, practice_ids in _links(using, spec.field):
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
        layout=_layout("", ids),
        slot_of=slot_of,
    )


def _slots(ids: array) -> array:
    """Practice id -> position in ``ids``, -1 for the ids not in it."""
    slot_of = array("i", [-1]) * (max(ids, default=0) + 1)
    for position, practice_id in enumerate(ids):
        slot_of[practice_id] = position
    return slot_of


def _grown(slot_of: array, practice_id: int) -> array:
    """``slot_of`` long enough to hold ``practice_id``."""
    if practice_id >= len(slot_of):
        slot_of.extend(array("i", [-1]) * (practice_id + 1 - len(slot_of)))
    return slot_of


def _layout(earlier: str, added_ids: array) -> str:
    return hashlib.blake2b(earlier.encode() + added_ids.tobytes(), digest_size=12).hexdigest()


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
    slot_of, ids = array("i", index.slot_of), array("q", index.ids)
    title_hashes, late = array("q", index.title_hashes), dict(index.late)
    everything, mask, moved, emptied = index.everything, 0, [], set()
    for practice_id in sorted(changed):  # new slots in the order of the ids, as anywhere else
        position, row = index.position_of(practice_id), rows.get(practice_id)
        if row is None:
            if position is not None:  # unpublished or deleted: its slot is left empty
                slot_of[practice_id] = -1
                late.pop(position, None)
                everything &= ~(1 << position)
                mask |= 1 << position
                emptied.add(position)
            continue
        if position is None:  # published or created: the next free slot
            position = _grown(slot_of, practice_id)[practice_id] = len(ids)
            ids.append(practice_id)
            title_hashes.append(hash(row[1]))
            everything |= 1 << position
            moved.append(practice_id)
        elif hash(row[1]) != title_hashes[position]:  # retitled
            title_hashes[position] = hash(row[1])
            moved.append(practice_id)
        mask |= 1 << position
    if moved or not emptied.isdisjoint(late.values()):
        late = _placed(using, slot_of, ids, late, moved, emptied)
        if late is None:
            return None
    fresh: dict[str, dict] = {spec.param: {} for spec in FACETS}
    marks = _marker()
    for practice_id, row in rows.items():
        position = slot_of[practice_id]
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
                bit = 1 << slot_of[practice_id]
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
    updated = FacetIndex(
        version,
        ids,
        everything,
        bits,
        title_hashes,
        read_changes_from,
        late=late,
        layout=_layout(index.layout, added) if (added := ids[len(index.ids) :]) else index.layout,
        slot_of=slot_of,
    )
    return updated, mask


def _placed(using, slot_of, ids, late: dict, moved: list, emptied: set) -> dict | None:
    """``late`` (position -> the slot it follows, in title order) with the practices ``moved``
    (new or retitled) placed, and those that followed a slot now ``emptied`` or moved placed
    again; None when too many are late, or when a practice published meanwhile, not in the
    index yet, came first.

    The database tells each one's predecessor in title order, in its collation; a practice
    follows the slot of its predecessor, or comes right after it when that one is late too.
    The others keep their places: slots only ever leave the title order of slots, so the slot
    each follows stays the closest one before it."""
    moved_positions = {slot_of[practice_id] for practice_id in moved}
    gone = emptied | moved_positions
    kept = [(p, slot) for p, slot in late.items() if p not in moved_positions and slot not in gone]
    again = [ids[p] for p, slot in late.items() if p not in moved_positions and slot in gone]
    to_place = list(dict.fromkeys([*moved, *again]))
    if len(kept) + len(to_place) > MOST_LATE:
        return None
    table = connections[using].ops.quote_name(Practice._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, (SELECT q.id FROM {table} AS q"  # noqa: S608
            " WHERE q.is_published AND q.title <= p.title AND (q.title, q.id) < (p.title, p.id)"
            " ORDER BY q.title DESC, q.id DESC LIMIT 1)"
            f" FROM {table} AS p WHERE p.id = ANY(%s) AND p.is_published"
            " ORDER BY p.title, p.id",
            [to_place],
        )
        found = cursor.fetchall()
    order = [position for position, _ in kept]
    follows = dict(kept)
    for practice_id, before in found:  # in title order: a late predecessor is placed first
        position = slot_of[practice_id] if practice_id < len(slot_of) else -1
        previous = -1 if before is None else slot_of[before] if before < len(slot_of) else -1
        if position < 0 or (before is not None and previous < 0):
            return None
        if previous in follows:  # a late practice: right after it
            follows[position] = follows[previous]
            order.insert(order.index(previous) + 1, position)
        else:  # a slot (or none): right after it, before the late practices that follow it
            follows[position] = previous
            slots = [follows[p] for p in order]
            order.insert(bisect.bisect_left(slots, previous), position)
    return {position: follows[position] for position in order}


def _change_log_position(using) -> str:
    """The snapshot a reader of the change log starting now has seen: a write it has not seen
    (running, or not begun) is read next time."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def _changes_since(using, snapshot) -> tuple[set | None, str]:
    """(the ids of the practices changed by the transactions ``snapshot`` did not see, or None
    when anything may have changed; the snapshot of this read), in one statement, so from one
    snapshot. Only the transactions since the oldest one running then are looked at, through
    the index on ``transaction``; an entry read twice is applied twice, which changes
    nothing."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text,"  # noqa: S608
            f" array(SELECT DISTINCT coalesce(practice_id, -1) FROM {_change_table(connection)}"
            " WHERE transaction >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
            " AND NOT pg_visible_in_snapshot(transaction::text::xid8, %s::pg_snapshot))",
            [snapshot, snapshot],
        )
        read_at, found = cursor.fetchone()
    changed = set(found)
    return (None if -1 in changed else changed), read_at


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
