"""The search engine in SQL: what ``engines.bitsets.IndexEngine`` answers from bitsets, asked of
the database. It serves searches over something other than every published practice, and
databases without a data version.

Facet counts are one aggregate query per facet, never one per option or per row. Where every
chosen value of a facet is required, the count of an option is the number of current results
that carry it; where any chosen value matches, the facet's own selection is left out (see
``registry``).
"""

from collections.abc import Callable, Sequence
from functools import cached_property

from django.http import QueryDict

from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.engines.facet_counts import FacetCounts
from practices.search.facets.registry import FACETS
from practices.search.filters import PracticeFilter


class SqlEngine:
    def __init__(self, criteria: Criteria, filterset: PracticeFilter, params: QueryDict):
        self.criteria = criteria
        self.filterset = filterset
        self.params = params

    @cached_property
    def count(self) -> int:
        return self.filterset.qs.count()

    @cached_property
    def counts(self) -> FacetCounts:
        """For each facet, {value key: the number of results choosing it would give}, each
        facet counted (one query) when first asked for."""
        return FacetCounts(self._counts_of)

    def _counts_of(self, param: str) -> dict:
        spec = next(spec for spec in FACETS if spec.param == param)
        return spec.kind.sql_counts(spec, self, self._others(spec))

    def _others(self, spec):
        """The practices a facet's counts are taken over: the results, or, where any chosen
        value of the facet matches, the results of the search without its own selection."""
        if self.criteria.conjoined(spec) or not self.criteria.selected[spec.param]:
            return self.filterset.qs
        without_own = self.params.copy()
        without_own.pop(spec.param)
        return PracticeFilter(without_own, queryset=self.filterset.queryset).qs

    def choosing(self, param: str, key, slug: str) -> "SqlEngine":
        """This search with the value ``slug`` of facet ``param`` chosen as well (``key`` is
        for the index engine): a search of its own, as the page it links to runs."""
        params = self.params.copy()
        params.appendlist(param, slug)
        filterset = PracticeFilter(params, queryset=self.filterset.queryset)
        if not filterset.is_valid():
            raise ValueError(f"{param}={slug}: {dict(filterset.errors)}")
        return SqlEngine(filterset.criteria(), filterset, params)

    def present_values(self, spec) -> list:
        """The values of a facet without a taxonomy that the searched practices hold: countries,
        or every year from the earliest start to the latest end (or this year)."""
        return spec.kind.present_values(spec, self.filterset.queryset.order_by())

    def ordered(self, fetch: Callable, *, headlines: bool = False) -> Sequence:
        practices = fetch(self.filterset.qs)
        return fulltext.with_headline(practices, self.criteria.keywords) if headlines else practices

    def remember(self, purpose: str, search: str, build: Callable):
        return build()  # nothing tells when data searched this way changes
