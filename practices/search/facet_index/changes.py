"""Applying a write to a facet index instead of rebuilding it (PostgreSQL): the practices the
change log names are cleared and set again from their rows; new ones take the next free slot,
and those that moved in title order are placed as "late" by the database's collation."""

import bisect
from array import array
from dataclasses import replace

from django.db import connections

from practices.db import rows_where_in
from practices.models import Practice
from practices.search.facet_index import build, change_log
from practices.search.facet_index.structure import FacetIndex
from practices.search.facets.registry import FACETS, TAGS

MOST_CHANGES_APPLIED = 500  # beyond this, rebuilding is quicker than applying
MOST_LATE = 2_000  # practices out of slot order; beyond this, a rebuild puts them back in it


def applied(using, index, version) -> tuple[FacetIndex, int] | None:
    """(``index`` with the practices changed since it last read the change log applied, the
    positions of those practices as a bitset), or None when it must be rebuilt instead."""
    changed, read_changes_from = change_log.changes_since(using, index.read_changes_from)
    if changed is None or len(changed) > MOST_CHANGES_APPLIED:
        return None
    if not changed:
        return replace(index, version=version, read_changes_from=read_changes_from), 0
    published = Practice.objects.using(using).published().filter(pk__in=changed)
    rows = {row[0]: row for row in build.rows(published)}
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
            position = build.grown(slot_of, practice_id)[practice_id] = len(ids)
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
    fresh: dict[str, dict] = {param: {} for param in index.bits}
    marks = build.marker()
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
        layout=(
            build.layout_of(index.layout, added)
            if (added := ids[len(index.ids) :])
            else index.layout
        ),
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
