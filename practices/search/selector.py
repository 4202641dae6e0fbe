"""The one way from request parameters to results: ``search(params, page=..., page_size=...)``.

It validates the parameters through ``PracticeFilter``, picks the engine once (the in-memory
index for searches over every published practice, SQL otherwise) and returns one value,
``SearchResult``, that the search page, the API and the CSV export read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext, ngettext

from practices.models import Practice
from practices.querysets import PracticeQuerySet
from practices.search.criteria import Criteria
from practices.search.engines.bitsets import IndexEngine
from practices.search.engines.sql import SqlEngine
from practices.search.facet_index.store import current_index, data_version
from practices.search.facets.panel import Facet, FacetOption, facet_list
from practices.search.facets.registry import ALL, FACET_QUERY_PARAMS
from practices.search.filters import PracticeFilter
from practices.search.keywords import Keywords

MAX_PAGE_SIZE = 100
PAGING_LABELS = {"page": "Page", "page_size": "Page size"}
NO_CRITERIA = Criteria(Keywords("", ()), {}, "")


@dataclass
class SearchResult:
    filterset: PracticeFilter
    params: QueryDict  # the search's own parameters (no paging, no empty values, no repeats)
    over_published: bool  # searching every published practice, as the public does
    criteria: Criteria = NO_CRITERIA  # the cleaned search, when it is valid
    errors: dict[str, list[str]] = field(default_factory=dict)  # parameter -> messages
    status: int = 200  # 400 for a parameter that makes no sense, 404 for a page past the end
    page: Page | None = None  # when a page was asked for

    @property
    def keywords(self) -> Keywords:
        return self.criteria.keywords

    @cached_property
    def engine(self) -> IndexEngine | SqlEngine:
        """The in-memory index for a search over every published practice of a database that
        keeps a data version; SQL otherwise. Chosen here and nowhere else."""
        database = self.filterset.queryset.db
        version = data_version(database) if self.over_published else None
        if version is None:
            return SqlEngine(self.criteria, self.filterset, self.params)
        return IndexEngine(current_index(database, version), self.criteria, self.filterset)

    @cached_property
    def count(self) -> int:
        return self.engine.count

    @cached_property
    def facets(self) -> list[Facet]:
        return facet_list(self.engine, self.params)

    def choosing(self, option: FacetOption) -> IndexEngine | SqlEngine:
        """The engine of this search with ``option`` (one of its facets' options) chosen as
        well: its ``count`` and ``counts`` are those of the search the option's link opens,
        counted on the index without a query where this search is."""
        return self.engine.choosing(option.param, option.key, option.slug)

    @property
    def practices(self):
        """Every result in display order, as a queryset (for exports)."""
        return self.filterset.qs

    @property
    def problems(self) -> list[str]:
        """Each error as a sentence that names the parameter, for people."""
        labels = {name: item.label for name, item in self.filterset.filters.items()}
        labels.update(PAGING_LABELS)
        return [
            f"{labels.get(name, name)} ({name}): {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]

    def cached(self, purpose: str, build: Callable):
        """``build()``, kept for this search while the data does not change, where the engine
        can tell when it does."""
        return self.engine.remember(purpose, self.params.urlencode(), build)


def search(
    params,
    *,
    page: str | int | None = 1,
    page_size: str | int = 10,
    fetch: Callable = PracticeQuerySet.all,
    headlines: bool = False,
    queryset=None,
) -> SearchResult:
    """Search published practices (or ``queryset``) by URL parameters.

    Unless ``page`` is None, the result holds that page of ``page_size`` practices, each
    fetched through ``fetch`` (a ``PracticeQuerySet`` method: ``for_listing``, ``with_tags``)
    and, with ``headlines``, with the database's excerpt of the keywords. Problems (a value
    that is not one of a filter's, a page that is not a whole number from 1, a page size
    outside 1 to 100) come back in ``errors`` with status 400, and a page past the last one
    with status 404.
    """
    over_published = queryset is None
    filterset = PracticeFilter(
        params, queryset=Practice.objects.published() if over_published else queryset
    )
    result = SearchResult(filterset, search_params(params), over_published)
    if not filterset.is_valid():
        result.errors = {name: list(errors) for name, errors in filterset.errors.items()}
        result.status = 400
        return result
    result.criteria = filterset.criteria()
    page_size = _whole_number(page_size, "page_size", result, most=MAX_PAGE_SIZE)
    number = _whole_number(page, "page", result) if page is not None else None
    if result.errors or number is None:
        return result
    paginator = Paginator(result.engine.ordered(fetch, headlines=headlines), page_size)
    paginator.count = result.count  # the engine knows it: no COUNT query
    if number > paginator.num_pages:
        pages = paginator.num_pages
        result.errors["page"] = [
            ngettext(
                "There is no page %(page)s of these results: they fill %(pages)d page.",
                "There is no page %(page)s of these results: they fill %(pages)d pages.",
                pages,
            )
            % {"page": str(page)[:20], "pages": pages}
        ]
        result.status = 404
        return result
    result.page = paginator.page(number)
    return result


def search_params(data) -> QueryDict:
    """The search parameters of a request, without paging, empty values, repeats or a facet's
    default way of combining its values (``_match=all``)."""
    params = QueryDict(mutable=True)
    for key in ["q", "sort", *FACET_QUERY_PARAMS]:
        values = (
            [value for value in data.getlist(key) if value != ""]
            if hasattr(data, "getlist")
            else []
        )
        if key.endswith("_match"):
            # one value, the last, as the form reads it; the default is left out
            values = [value for value in values[-1:] if value != ALL]
        if values:
            params.setlist(key, list(dict.fromkeys(values)))
    return params


def _whole_number(raw, name, result, *, most=None):
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1 or (most and int(text) > most):
        if most is None:
            message = gettext("A whole number from 1, such as %(name)s=2.") % {"name": name}
        else:
            message = gettext("A whole number from 1 to %(most)d, such as %(name)s=2.") % {
                "most": most,
                "name": name,
            }
        result.errors[name] = [message]
        result.status = 400
        return None
    return int(text)
