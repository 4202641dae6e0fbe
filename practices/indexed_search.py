"""A search evaluated on the in-memory facet index: its results as a bitset, the facet counts,
and, for keywords, the pages in relevance order.

Keywords are the expensive part of a search: a common word matches half of 100,000
practices, and the database must rank every match to know the first ten. That order is the
same for every combination of filters and every page, so it is computed once per query and
data version (``keyword_ranking``), kept as positions in the index, and reused: filters and
counts are then bit operations, and a page is a short walk along the ranking.
"""

import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from practices.facet_index import SINGLE_VALUED, FacetIndex, current_index
from practices.search import parse_websearch

MAX_RANKINGS = 32  # per process; one ranking of 50,000 matches takes about 200 kB


@dataclass(frozen=True)
class Ranking:
    """The published practices matching a keyword query, best first."""

    positions: array  # positions in the facet index
    bits: int  # the same positions as a bitset


@dataclass(frozen=True)
class IndexedSearch:
    index: FacetIndex
    results: int  # bitset of the results
    counts: dict  # param -> {value key: number of results choosing it would give}
    ranking: Ranking | None  # when keywords were given

    @property
    def result_count(self) -> int:
        return self.results.bit_count()


def indexed_search(filterset) -> IndexedSearch | None:
    """The search of a valid FilterSet on the facet index, computed once per FilterSet; None
    when the search is not over all published practices or the database has no data version."""
    if not hasattr(filterset, "_indexed_search"):
        index = None
        if getattr(filterset, "over_published", False):
            index = current_index(filterset.queryset.db)
        filterset._indexed_search = _evaluate(index, filterset) if index is not None else None
    return filterset._indexed_search


def _evaluate(index, filterset) -> IndexedSearch:
    filterset.is_valid()  # only valid searches are evaluated; this cleans the data
    data = filterset.form.cleaned_data
    selected = {param: {getattr(v, "pk", v) for v in data.get(param) or []} for param in index.bits}
    keywords = data.get("q") or ""
    ranking = None
    base = index.everything
    if parse_websearch(keywords):
        ranking = keyword_ranking(index, filterset.queryset, keywords)
        base = ranking.bits

    def combine(leave_out=None):
        bits = base
        for param, keys in selected.items():
            if not keys or param == leave_out:
                continue
            values = index.bits[param]
            if param in SINGLE_VALUED:
                either = 0
                for key in keys:
                    either |= values.get(key, 0)
                bits &= either
            else:
                for key in keys:
                    bits &= values.get(key, 0)
        return bits

    results = combine()
    counts = {}
    for param in index.bits:
        # A single-valued field's own selection is left out of its counts (any value matches).
        within = combine(leave_out=param) if param in SINGLE_VALUED and selected[param] else results
        counts[param] = {
            key: (within & bits).bit_count() for key, bits in index.bits[param].items()
        }
    return IndexedSearch(index, results, counts, ranking)


_lock = threading.Lock()
_rankings: OrderedDict = OrderedDict()


def keyword_ranking(index: FacetIndex, published, query: str) -> Ranking:
    """The practices of ``published`` matching ``query`` in relevance order, from the cache when
    this query was ranked on the same data version (in this process)."""
    key = (published.db, index.version, query)
    with _lock:
        ranking = _rankings.get(key)
        if ranking is not None:
            _rankings.move_to_end(key)
            return ranking
    ids = published.search(query).by_relevance(query).values_list("pk", flat=True)
    lookup = index.positions.get
    # A practice published after the index was built is skipped: its write moved the data
    # version, so the next request rebuilds the index and ranks again.
    positions = array("I", [p for p in map(lookup, ids) if p is not None])
    bitmap = bytearray((len(index.ids) + 7) // 8)
    for position in positions:
        bitmap[position >> 3] |= 1 << (position & 7)
    ranking = Ranking(positions, int.from_bytes(bitmap, "little"))
    with _lock:
        _rankings[key] = ranking
        while len(_rankings) > MAX_RANKINGS:
            _rankings.popitem(last=False)
    return ranking


def forget_rankings():
    """Drop every ranking kept by this process."""
    with _lock:
        _rankings.clear()


class IndexedResults(Sequence):
    """The results of a search in display order, for a Paginator: the ids of a page are found
    on the index (along the keyword ranking, or in index order, which is title order), and only
    that page's practices are fetched, from ``queryset``."""

    def __init__(self, searched: IndexedSearch, queryset, *, by_relevance: bool):
        self.searched = searched
        self.queryset = queryset
        self.by_relevance = by_relevance
        self._count = searched.result_count

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
            ids = self._ids_in_index_order(start, stop)
        practices = {practice.pk: practice for practice in self.queryset.filter(pk__in=ids)}
        return [practices[pk] for pk in ids if pk in practices]

    def _ranked_ids(self, start, stop):
        index, ranking = self.searched.index, self.searched.ranking
        if self.searched.results == ranking.bits:  # keywords only: every ranked practice
            return [index.ids[position] for position in ranking.positions[start:stop]]
        results = self.searched.results.to_bytes((len(index.ids) + 7) // 8, "little")
        ids, seen = [], 0
        for position in ranking.positions:
            if results[position >> 3] >> (position & 7) & 1:
                if seen >= start:
                    ids.append(index.ids[position])
                    if len(ids) == stop - start:
                        break
                seen += 1
        return ids

    def _ids_in_index_order(self, start, stop):
        index = self.searched.index
        results = self.searched.results.to_bytes((len(index.ids) + 7) // 8, "little")
        ids, seen = [], 0
        for byte_number, byte in enumerate(results):
            if not byte:
                continue
            if seen + byte.bit_count() <= start:  # a whole byte of results before the page
                seen += byte.bit_count()
                continue
            for bit in range(8):
                if byte >> bit & 1:
                    if seen >= start:
                        ids.append(index.ids[byte_number * 8 + bit])
                        if len(ids) == stop - start:
                            return ids
                    seen += 1
        return ids


def indexed_results(filterset, queryset) -> IndexedResults | None:
    """The results of a valid search in display order from the index, with practices taken
    from ``queryset`` (every published practice, prepared for display); None when the search
    is not evaluated on the index or is sorted by something other than relevance or title."""
    data = filterset.form.cleaned_data
    sort = data.get("sort") or ""
    if sort not in ("", "title"):
        return None
    searched = indexed_search(filterset)
    if searched is None:
        return None
    by_relevance = not sort and searched.ranking is not None
    return IndexedResults(searched, queryset, by_relevance=by_relevance)
