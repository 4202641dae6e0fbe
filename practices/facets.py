"""Facet counts: beside every option of every filter, how many results choosing it would give.

For a tag field (a practice carries several values, all selected values required) the count of
an option is the number of current results that carry it. For a single-valued field (any
selected value matches) the field's own selection is left out, so choosing Finland does not
turn Denmark's count to zero. One aggregate query per facet, never one per option or per row.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.http import QueryDict
from django_countries import countries

from practices.filters import PracticeFilter
from practices.indexed_search import indexed_search
from practices.models import (
    Practice,
    Recommendation,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)


@dataclass(frozen=True)
class FacetOption:
    slug: str
    name: str
    count: int
    selected: bool
    toggle_query: str  # the query string that adds or removes this option, page reset


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    long: bool = False  # many options: shown folded until something in it is chosen

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


@dataclass(frozen=True)
class TagFacet:
    """A multi-valued field, counted through its link table."""

    param: str
    field_name: str
    taxonomy: type

    def counts(self, filterset, params):
        relation = Practice._meta.get_field(self.field_name)
        links = relation.remote_field.through
        rows = (
            links.objects.filter(practice__in=filterset.qs.order_by().values("pk"))
            .values_list(relation.m2m_reverse_field_name())
            .annotate(count=Count("practice"))
            .order_by()
        )
        return dict(rows)

    def choices(self, index=None):
        return [(tag.pk, tag.slug, _option_name(tag)) for tag in _taxonomy_values(self.taxonomy)]


@dataclass(frozen=True)
class SingleValuedFacet:
    """A field holding one value per practice, counted without its own selection."""

    param: str
    column: str
    taxonomy: type | None = None

    def counts(self, filterset, params):
        if not params.getlist(self.param):
            others = filterset.qs
        else:
            without_own = params.copy()
            without_own.pop(self.param)
            others = PracticeFilter(without_own, queryset=filterset.queryset).qs
        rows = others.order_by().values_list(self.column).annotate(count=Count("pk"))
        return {key: count for key, count in rows if key is not None}

    def choices(self, index=None):
        if self.taxonomy is not None:
            return [(value.pk, value.slug, value.name) for value in _taxonomy_values(self.taxonomy)]
        if index is not None:
            codes = index.bits["country"].keys()
        else:
            codes = (
                Practice.objects.published().order_by().values_list("country", flat=True).distinct()
            )
        return sorted(((code, code, countries.name(code)) for code in codes), key=lambda c: c[2])


def _taxonomy_values(model):
    queryset = model.objects.all()
    if model is Recommendation:
        queryset = queryset.select_related("pillar")
    return list(queryset)


def _option_name(tag):
    if isinstance(tag, Recommendation):
        return f"{tag.number}. {tag.name}"
    return tag.name


FACETS = [
    SingleValuedFacet("territorial_validity", "territorial_validity", TerritorialValidity),
    TagFacet("challenge", "challenges", StrategicChallenge),
    TagFacet("priority", "priorities", ThematicPriority),
    TagFacet("support", "support_types", SupportType),
    TagFacet("recommendation", "recommendations", Recommendation),
    SingleValuedFacet("typology", "region__typology", Typology),
    SingleValuedFacet("country", "country"),
]
FACET_PARAMS = [facet.param for facet in FACETS]
LONG_FACETS = {"recommendation", "country"}
CACHED_SEARCH_SECONDS = 3600  # entries of an older data version are never read again


def facet_counts(filterset: PracticeFilter) -> list[Facet]:
    """Every facet of a valid search, each option with its count and toggle link.

    Counted on the in-memory facet index when the search is over all published practices,
    with SQL aggregates otherwise; both give the same numbers (tests hold them equal).
    """
    params = search_params(filterset.data)
    searched = indexed_search(filterset)
    index = searched.index if searched is not None else None
    facets = []
    for spec in FACETS:
        if searched is not None:
            counts = searched.counts[spec.param]
        else:
            counts = spec.counts(filterset, params)
        chosen = set(params.getlist(spec.param))
        facet = Facet(
            spec.param, filterset.filters[spec.param].label, long=spec.param in LONG_FACETS
        )
        known = set()
        for key, slug, name in spec.choices(index):
            known.add(slug)
            facet.options.append(
                FacetOption(
                    slug,
                    name,
                    counts.get(key, 0),
                    slug in chosen,
                    _toggle(params, spec.param, slug),
                )
            )
        for slug in sorted(chosen - known):  # a valid value no published practice carries yet
            name = countries.name(slug) if spec.param == "country" else slug
            facet.options.append(
                FacetOption(slug, name, 0, True, _toggle(params, spec.param, slug))
            )
        facets.append(facet)
    return facets


def indexed_result_count(filterset) -> int | None:
    """The number of results of a valid search, from the in-memory index when it applies
    (None otherwise): the SQL COUNT over 100,000 practices costs about 100 ms."""
    searched = indexed_search(filterset)
    return None if searched is None else searched.result_count


def cached_for_search(filterset, purpose: str, build):
    """``build()``, kept in the cache for this search when it runs on the facet index: the
    index's data version is part of the key, so any write makes the entry unreachable."""
    searched = indexed_search(filterset)
    if searched is None:
        return build()
    search = hashlib.sha256(search_params(filterset.data).urlencode().encode()).hexdigest()
    key = f"{purpose}:{filterset.queryset.db}:{searched.index.version}:{search}"
    return cache.get_or_set(key, build, timeout=CACHED_SEARCH_SECONDS)


def search_params(data) -> QueryDict:
    """The search parameters of a request, without paging, empty values or repeats."""
    params = QueryDict(mutable=True)
    for key in ["q", "sort", *FACET_PARAMS]:
        values = (
            [value for value in data.getlist(key) if value != ""]
            if hasattr(data, "getlist")
            else []
        )
        if values:
            params.setlist(key, list(dict.fromkeys(values)))
    return params


def _toggle(params: QueryDict, param: str, slug: str) -> str:
    toggled = params.copy()
    values = toggled.getlist(param)
    toggled.setlist(param, [v for v in values if v != slug] if slug in values else [*values, slug])
    return toggled.urlencode()
