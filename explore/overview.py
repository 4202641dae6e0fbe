"""The numbers the explore pages show, each from the one search path (``search``): a count
next to a link is the count of the search the link opens."""

from dataclasses import dataclass

from django.db.models import Max
from django.http import QueryDict

from practices.models import Practice
from practices.search.selector import search

# The facets a visitor starts from on the home page, in this order.
ENTRY_FACETS = ("challenge", "priority", "support", "typology")


@dataclass(frozen=True)
class Entry:
    label: str
    count: int
    query: str  # the search it opens


def searched(query: str):
    """The result of a search, as the list page would get it (every published practice)."""
    result = search(QueryDict(query), page=None)
    if result.errors:
        raise ValueError(f"{query!r}: {result.errors}")
    return result


def entry_points() -> list[tuple[str, list[Entry]]]:
    """(facet label, its options with counts and searches) for the home page's ways in."""
    facets = {facet.param: facet for facet in searched("").facets}
    groups = []
    for param in ENTRY_FACETS:
        facet = facets[param]
        groups.append(
            (
                facet.label,
                [Entry(option.name, option.count, option.toggle_query) for option in facet.options],
            )
        )
    return groups


def totals() -> dict:
    """How many published practices, from how many countries, last updated when."""
    result = searched("")
    countries = [option for option in _facet(result, "country").options if option.count]
    last = Practice.objects.published().aggregate(last=Max("updated_at"))["last"]
    return {"practices": result.count, "countries": len(countries), "last_update": last}


def recently_updated(count: int = 5):
    result = search(QueryDict("sort=-updated"), page=1, page_size=count)
    return list(result.page)


def _facet(result, param):
    return next(facet for facet in result.facets if facet.param == param)
