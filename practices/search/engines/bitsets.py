"""The search engine on the in-memory facet index: results as a bitset, facet counts by bit
operations, and pages in title or relevance order by walking the index.

Keywords are the expensive part of a search: a common word matches half of 100,000
practices, and the database must rank every match to know the first ten. That order is the
same for every combination of filters and every page, so it is computed once per query and
data version (``rankings.keyword_ranking``), kept as positions in the index, and reused: filters and
counts are then bit operations, and a page is a short walk along the ranking.

``engines.sql.SqlEngine`` answers the same questions in SQL; ``selector.search`` picks one.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property

from django.core.cache import cache

from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.engines.facet_counts import FacetCounts
from practices.search.engines.rankings import CACHED_SEARCH_SECONDS, keyword_ranking
from practices.search.facet_index.structure import FacetIndex
from practices.search.facets.registry import FACETS


class IndexEngine:
    """A valid search over every published practice, evaluated on ``index``. ``filterset``
    gives the SQL results for orders the index does not keep (recently updated, country)."""

    def __init__(self, index: FacetIndex, criteria: Criteria, filterset, *, ranking=None):
        self.index = index
        self.criteria = criteria
        self.filterset = filterset
        self.published = filterset.queryset
        if ranking is None and criteria.keywords:
            ranking = keyword_ranking(index, self.published, criteria.keywords)
        self.ranking = ranking
        self.results = self._combine()

    def choosing(self, param: str, key, slug: str) -> "IndexEngine":
        """This search with the value ``key`` (``slug`` in URLs) of facet ``param`` chosen as
        well: its ``count`` and ``counts`` are bit operations, without a query (a table of
        counts, such as /themes/, asks this once a row)."""
        selected = {**self.criteria.selected, param: self.criteria.selected[param] | {key}}
        return IndexEngine(
            self.index,
            replace(self.criteria, selected=selected),
            self.filterset,
            ranking=self.ranking,
        )

    @property
    def count(self) -> int:
        return self.results.bit_count()

    def _combine(self, leave_out: str | None = None) -> int:
        bits = self.index.everything if self.ranking is None else self.ranking.bits
        for spec in FACETS:
            keys = self.criteria.selected[spec.param]
            if not keys or spec.param == leave_out:
                continue
            values = self.facet_bits[spec.param]
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
    def counts(self) -> FacetCounts:
        """For each facet, {value key: the number of results choosing it would give}, each
        facet counted when first asked for (a table of counts reads one facet a row)."""
        return FacetCounts(self._counts_of)

    def _counts_of(self, param: str) -> dict:
        spec = next(spec for spec in FACETS if spec.param == param)
        # A facet where any chosen value matches leaves its own selection out of its
        # counts (choosing Finland must not turn Denmark's count to zero).
        own_left_out = not self.criteria.conjoined(spec) and self.criteria.selected[spec.param]
        within = self._combine(leave_out=spec.param) if own_left_out else self.results
        return {key: (within & bits).bit_count() for key, bits in self.facet_bits[param].items()}

    @cached_property
    def facet_bits(self) -> dict[str, dict]:
        """For each facet, {value key: bitset}: the index's own, and those a derived facet
        makes of another's (a country group's of its countries', a few dozen ORs)."""
        return {spec.param: spec.kind.index_bits(spec, self.index) for spec in FACETS}

    def present_values(self, spec) -> list:
        """The values of a facet without a taxonomy that published practices hold: countries,
        or every year from the earliest start to the latest end (or this year)."""
        values = list(self.facet_bits[spec.param])
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
