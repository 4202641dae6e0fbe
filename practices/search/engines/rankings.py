"""Keyword rankings: the published practices matching a query, best first, as positions in the
facet index. Computed once per query and data version (``keyword_ranking``), kept by the
process (least recently used out first, within a memory budget) and shared with the other
processes through Django's cache; after a write the index applied, carried over by scoring
only the practices it changed."""

import hashlib
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import cache

from practices.search import fulltext
from practices.search.facet_index.store import changed_since
from practices.search.facet_index.structure import FacetIndex
from practices.search.keywords import Keywords

MAX_RANKINGS = 32  # per process; one ranking of 50,000 matches takes about 600 kB
# and no more than this in all: at 1,000,000 practices a common word's ranking takes 6 MB,
# and 32 of them made a worker's largest part
MOST_RANKING_BYTES = 32 * 2**20
# Rankings up to this many matches are shared with the other processes (Redis in production).
MOST_SHARED_MATCHES = 250_000
CACHED_SEARCH_SECONDS = 3600  # entries of an older data version are never read again


@dataclass(frozen=True)
class Ranking:
    """The published practices matching a keyword query, best first, then in title order."""

    positions: array  # positions in the facet index
    scores: array  # the relevance of each, as the database scored it
    bits: int  # the same positions as a bitset

    @property
    def size(self) -> int:
        """About how many bytes it holds."""
        return (
            self.positions.itemsize * len(self.positions)
            + self.scores.itemsize * len(self.scores)
            + self.bits.bit_length() // 8
        )


_lock = threading.Lock()
# (database, layout, version, query) -> Ranking, the least recently used first
kept_rankings: OrderedDict = OrderedDict()


def keyword_ranking(index: FacetIndex, published, keywords: Keywords) -> Ranking:
    """The practices of ``published`` matching ``keywords`` in relevance order: ranked on this
    data version before, by this process or another (the shared cache), or carried over from
    an earlier version when the index only applied a few practices since, or ranked now."""
    database, text = published.db, keywords.text
    here = (database, index.layout, index.version, text)
    ranking = _kept(*here)
    if ranking is None:
        lineage = changed_since(
            database,
            index,
            lambda version, layout: _kept(database, layout, version, text) is not None,
        )
        earlier = None
        if lineage is not None:
            version, layout, changed = lineage
            earlier = _kept(database, layout, version, text)
        if earlier is not None:  # (it may have left the caches in between)
            ranking = _carried_over(earlier, index, changed, published, keywords)
        else:
            ranking = _ranking(index, *fulltext.scores(published, keywords))
        _keep(*here, ranking, shared=True)
    return ranking


def _kept(database, layout, version, text) -> Ranking | None:
    """A ranking kept by this process, or shared by another through Django's cache, made on
    an index of this ``layout`` (its positions mean the same practices)."""
    key = (database, layout, version, text)
    with _lock:
        ranking = kept_rankings.get(key)
        if ranking is not None:
            kept_rankings.move_to_end(key)
            return ranking
    shared = cache.get(_shared_key(*key))
    if shared is None:
        return None
    positions, scores = array("I"), array("d")
    positions.frombytes(shared[0])
    scores.frombytes(shared[1])
    ranking = Ranking(positions, scores, int.from_bytes(shared[2], "little"))
    _keep(*key, ranking, shared=False)
    return ranking


def _keep(database, layout, version, text, ranking, *, shared):
    key = (database, layout, version, text)
    with _lock:
        kept_rankings[key] = ranking
        held = sum(kept.size for kept in kept_rankings.values())
        while len(kept_rankings) > 1 and (
            len(kept_rankings) > MAX_RANKINGS or held > MOST_RANKING_BYTES
        ):
            held -= kept_rankings.popitem(last=False)[1].size
    if shared and len(ranking.positions) <= MOST_SHARED_MATCHES:
        size = (ranking.bits.bit_length() + 7) // 8
        value = (
            ranking.positions.tobytes(),
            ranking.scores.tobytes(),
            ranking.bits.to_bytes(size, "little"),
        )
        cache.set(_shared_key(*key), value, timeout=CACHED_SEARCH_SECONDS)


def _shared_key(database, layout, version, text) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"ranking:{database}:{layout}:{version}:{digest}"


def _ranking(index: FacetIndex, ids: array, relevance: array) -> Ranking:
    """A ranking of the practices ``ids`` scored ``relevance``, given in any order: best first,
    then in title order, as ``PracticeQuerySet.by_relevance`` orders them. Sorted here, not by
    the database: its sort compared every match's title in its collation, where the index
    knows the title order already."""
    slot_of, last = index.slot_of, len(index.slot_of) - 1
    found = [slot_of[id_] if id_ <= last else -1 for id_ in ids]
    if index.late:  # positions are then not all in title order
        title_key = index.title_key
        found = [title_key(position) if position >= 0 else -1 for position in found]
    # One integer a match: its score (sortable bits, best first), then its place in title
    # order. A practice published after the index was built (-1) is left out: its write moved
    # the data version, so the next request brings the index up to date and ranks again.
    keys = [
        score << 32 | place
        for score, place in zip(_descending(relevance), found, strict=True)
        if place >= 0
    ]  # fmt: skip
    keys.sort()
    positions = array("I", [key & 0xFFFFFFFF for key in keys])
    if index.late:
        positions = array("I", [index.position_at(place) for place in positions])
    scores = _scores([key >> 32 for key in keys])
    bitmap = bytearray((len(index.ids) + 7) // 8)
    for position in positions:
        bitmap[position >> 3] |= 1 << (position & 7)
    return Ranking(positions, scores, int.from_bytes(bitmap, "little"))


_FULL, _SIGN, _MAGNITUDE = (1 << 64) - 1, 1 << 63, (1 << 63) - 1


def _descending(relevance: array) -> list[int]:
    """Integers whose ascending order is the descending order of the floats ``relevance``
    (their IEEE 754 bits, turned so that they compare as the numbers do, the best first; -0.0
    as 0.0, as SQL compares them)."""
    bits = array("Q")
    bits.frombytes(array("d", relevance).tobytes())
    return [
        bit if bit & _SIGN and bit != _SIGN else _FULL ^ (bit | _SIGN) for bit in bits
    ]  # fmt: skip


def _scores(descending: list[int]) -> array:
    """The floats back from ``_descending``'s integers."""
    bits = array("Q", [key if key & _SIGN else key ^ _MAGNITUDE for key in descending])
    scores = array("d")
    scores.frombytes(bits.tobytes())
    return scores


def _carried_over(earlier: Ranking, index: FacetIndex, changed, published, keywords) -> Ranking:
    """``earlier`` with the practices at the positions ``changed`` (applied to the index
    since) scored again: only they can have moved (the others kept their slots and their
    order)."""
    changed_bytes = index.bytes_of(changed)
    positions, scores = array("I"), array("d")
    for position, score in zip(earlier.positions, earlier.scores, strict=True):
        if not changed_bytes[position >> 3] >> (position & 7) & 1:
            positions.append(position)
            scores.append(score)
    changed_ids = [index.ids[position] for position in index.positions_of(changed)]
    # scored as the ranking was (the same precision, so that equal scores stay equal)
    ids, relevance = fulltext.scores(published.filter(pk__in=changed_ids), keywords)
    rescored = list(zip(ids, relevance, strict=True))
    # (one published again since the index was brought up to date is not in it: the next
    # version ranks it)
    rescored = [(pk, score) for pk, score in rescored if index.position_of(pk) is not None]
    for practice_id, score in rescored:
        position = index.position_of(practice_id)
        place = _place(index, positions, scores, score, position)
        positions.insert(place, position)
        scores.insert(place, score)
    bits = (earlier.bits & ~changed) | sum(1 << index.position_of(pk) for pk, _ in rescored)
    return Ranking(positions, scores, bits)


def _place(index, positions, scores, score, position) -> int:
    """Where (score, position) goes in a ranking: best score first, then title order."""
    key, title_key = (-score, index.title_key(position)), index.title_key
    low, high = 0, len(positions)
    while low < high:
        middle = (low + high) // 2
        if (-scores[middle], title_key(positions[middle])) < key:
            low = middle + 1
        else:
            high = middle
    return low
