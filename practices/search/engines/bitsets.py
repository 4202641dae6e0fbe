"""The search engine on the in-memory facet index: results as a bitset, facet counts by bit
operations, and pages in title or relevance order by walking the index.

Keywords are the expensive part of a search: a common word matches half of 100,000
practices, and the database must rank every match to know the first ten. That order is the
same for every combination of filters and every page, so it is computed once per query and
data version (``keyword_ranking``), kept as positions in the index, and reused: filters and
counts are then bit operations, and a page is a short walk along the ranking.

``sql_engine.SqlEngine`` answers the same questions in SQL; ``selector.search`` picks one.
"""

import hashlib
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache

from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.facet_index.store import FacetIndex, changed_since
from practices.search.facets.registry import FACETS
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


class IndexEngine:
    """A valid search over every published practice, evaluated on ``index``. ``filterset``
    gives the SQL results for orders the index does not keep (recently updated, country)."""

    def __init__(self, index: FacetIndex, criteria: Criteria, filterset):
        self.index = index
        self.criteria = criteria
        self.filterset = filterset
        self.published = filterset.queryset
        self.ranking = (
            keyword_ranking(index, self.published, criteria.keywords) if criteria.keywords else None
        )
        self.results = self._combine()

    @property
    def count(self) -> int:
        return self.results.bit_count()

    def _combine(self, leave_out: str | None = None) -> int:
        bits = self.index.everything if self.ranking is None else self.ranking.bits
        for spec in FACETS:
            keys = self.criteria.selected[spec.param]
            if not keys or spec.param == leave_out:
                continue
            values = self.index.bits[spec.param]
            if self.criteria.conjoined(spec):
                for key in keys:
                    bits &= values.get(key, 0)
            else:
                either = 0
                for key in keys:
                    either |= values.get(key, 0)
                bits &= either
        return bits

    @cached_property
    def counts(self) -> dict[str, dict]:
        """For each facet, {value key: the number of results choosing it would give}."""
        counts = {}
        for spec in FACETS:
            # A facet where any chosen value matches leaves its own selection out of its
            # counts (choosing Finland must not turn Denmark's count to zero).
            own_left_out = not self.criteria.conjoined(spec) and self.criteria.selected[spec.param]
            within = self._combine(leave_out=spec.param) if own_left_out else self.results
            counts[spec.param] = {
                key: (within & bits).bit_count()
                for key, bits in self.index.bits[spec.param].items()
            }
        return counts

    def present_values(self, spec) -> list:
        """The values of a facet without a taxonomy that published practices hold: countries,
        or every year from the earliest start to the latest end (or this year)."""
        values = list(self.index.bits[spec.param])
        if spec.end_path and values:
            return list(range(min(values), max(values) + 1))
        return values

    def ordered(self, fetch: Callable, *, headlines: bool = False) -> Sequence:
        """The results in display order, each practice fetched through ``fetch`` (a
        ``PracticeQuerySet`` method such as ``for_listing``), with the database's excerpts of
        the keywords if ``headlines``."""
        if not self.criteria.in_index_order:
            return _fetched(self.filterset.qs, fetch, self.criteria.keywords, headlines)
        by_relevance = not self.criteria.sort and self.ranking is not None
        practices = _fetched(self.published, fetch, self.criteria.keywords, headlines)
        return IndexedResults(self, practices, by_relevance=by_relevance)

    def remember(self, purpose: str, search: str, build: Callable):
        """``build()``, kept in the cache for this search: the index's data version is part of
        the key, so any write makes the entry unreachable."""
        digest = hashlib.sha256(search.encode()).hexdigest()
        key = f"{purpose}:{self.published.db}:{self.index.version}:{digest}"
        return cache.get_or_set(key, build, timeout=CACHED_SEARCH_SECONDS)


def _fetched(practices, fetch, keywords, headlines):
    practices = fetch(practices)
    return fulltext.with_headline(practices, keywords) if headlines else practices


_lock = threading.Lock()
_rankings: OrderedDict = OrderedDict()


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
        ranking = _rankings.get(key)
        if ranking is not None:
            _rankings.move_to_end(key)
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
        _rankings[key] = ranking
        held = sum(kept.size for kept in _rankings.values())
        while len(_rankings) > 1 and (len(_rankings) > MAX_RANKINGS or held > MOST_RANKING_BYTES):
            held -= _rankings.popitem(last=False)[1].size
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


def forget_rankings():
    """Drop every ranking kept by this process."""
    with _lock:
        _rankings.clear()


class IndexedResults(Sequence):
    """The results of a search in display order, for a Paginator: the ids of a page are found
    on the index (along the keyword ranking, or in title order), and only that page's
    practices are fetched, from ``queryset``."""

    def __init__(self, engine: IndexEngine, queryset, *, by_relevance: bool):
        self.engine = engine
        self.queryset = queryset
        self.by_relevance = by_relevance
        self._count = engine.count

    def __len__(self):
        return self._count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            position = key + self._count if key < 0 else key
            found = self[position : position + 1] if position >= 0 else []
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop, _ = key.indices(self._count)
        if stop <= start:
            return []
        if self.by_relevance:
            ids = self._ranked_ids(start, stop)
        else:
            ids = self._ids_in_title_order(start, stop)
        practices = {practice.pk: practice for practice in self.queryset.filter(pk__in=ids)}
        return [practices[pk] for pk in ids if pk in practices]

    def _ranked_ids(self, start, stop):
        index, ranking = self.engine.index, self.engine.ranking
        if self.engine.results == ranking.bits:  # keywords only: every ranked practice
            return [index.ids[position] for position in ranking.positions[start:stop]]
        results = index.bytes_of(self.engine.results)
        ids, seen = [], 0
        for position in ranking.positions:
            if results[position >> 3] >> (position & 7) & 1:
                if seen >= start:
                    ids.append(index.ids[position])
                    if len(ids) == stop - start:
                        break
                seen += 1
        return ids

    def _ids_in_title_order(self, start, stop):
        index = self.engine.index
        found = index.in_title_order(self.engine.results, skip=start, most=stop - start)
        return [index.ids[position] for position in found]
