"""The search engine in SQL: what ``index_engine.IndexEngine`` answers from bitsets, asked of
the database. It serves searches over something other than every published practice, and
databases without a data version.

Facet counts are one aggregate query per facet, never one per option or per row. Where every
chosen value of a facet is required, the count of an option is the number of current results
that carry it; where any chosen value matches, the facet's own selection is left out (see
``registry``).
"""

from collections.abc import Callable, Sequence
from functools import cached_property

from django.db.models import Count, Max, Min, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import QueryDict
from django.utils import timezone

from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.facets.registry import FACETS, TAGS
from practices.search.filters import PracticeFilter, active_in


class SqlEngine:
    def __init__(self, criteria: Criteria, filterset: PracticeFilter, params: QueryDict):
        self.criteria = criteria
        self.filterset = filterset
        self.params = params

    @cached_property
    def count(self) -> int:
        return self.filterset.qs.count()

    @cached_property
    def counts(self) -> dict[str, dict]:
        """For each facet, {value key: the number of results choosing it would give}."""
        return {spec.param: self._counts(spec) for spec in FACETS}

    def _counts(self, spec) -> dict:
        if spec.end_path:
            return self._year_counts(spec)
        within = self._others(spec)
        return (
            self._tag_counts(spec, within) if spec.kind == TAGS else self._counts_of(spec, within)
        )

    def _others(self, spec):
        """The practices a facet's counts are taken over: the results, or, where any chosen
        value of the facet matches, the results of the search without its own selection."""
        if self.criteria.conjoined(spec) or not self.criteria.selected[spec.param]:
            return self.filterset.qs
        without_own = self.params.copy()
        without_own.pop(spec.param)
        return PracticeFilter(without_own, queryset=self.filterset.queryset).qs

    def _year_counts(self, spec) -> dict:
        """Results active in each year a practice runs, in one aggregate query."""
        years = self.present_values(spec)
        if not years:
            return {}
        counts = self.filterset.qs.order_by().aggregate(
            **{f"y{year}": Count("pk", filter=active_in(spec, year)) for year in years}
        )
        return {int(name[1:]): count for name, count in counts.items()}

    def _tag_counts(self, spec, within) -> dict:
        relation = spec.field
        links = relation.remote_field.through
        rows = (
            links.objects.filter(practice__in=within.order_by().values("pk"))
            .values_list(relation.m2m_reverse_field_name())
            .annotate(count=Count("practice"))
            .order_by()
        )
        return dict(rows)

    def _counts_of(self, spec, within) -> dict:
        rows = within.order_by().values_list(spec.path).annotate(count=Count("pk"))
        return {key: count for key, count in rows if key is not None}

    def present_values(self, spec) -> list:
        """The values of a facet without a taxonomy that the searched practices hold: countries,
        or every year from the earliest start to the latest end (or this year)."""
        practices = self.filterset.queryset.order_by()
        if spec.end_path:
            # as the index marks them: each practice from its start to its end, or this year
            last = Greatest(spec.path, Coalesce(spec.end_path, Value(timezone.now().year)))
            bounds = practices.filter(**{f"{spec.path}__isnull": False}).aggregate(
                first=Min(spec.path), last=Max(last)
            )
            if bounds["first"] is None:
                return []
            return list(range(bounds["first"], bounds["last"] + 1))
        return list(practices.values_list(spec.path, flat=True).distinct())

    def ordered(self, fetch: Callable, *, headlines: bool = False) -> Sequence:
        practices = fetch(self.filterset.qs)
        return fulltext.with_headline(practices, self.criteria.keywords) if headlines else practices

    def remember(self, purpose: str, search: str, build: Callable):
        return build()  # nothing tells when data searched this way changes
