"""The search a person most likely meant by a shared or bookmarked address.

The search page reads an address forgivingly, so that one stale value (a tag a curator renamed,
a mistyped link) does not throw the whole search away: a value is read whatever its case, an
unknown one is left out with a notice naming it, and keywords with no word to search for are
left out too. The API and the exports stay strict (400 naming the parameter): programs should
hear about their mistakes.
"""

from django.http import QueryDict
from django.utils.translation import gettext

from practices.search.facets.registry import ALL, ANY, FACETS
from practices.search.filters import SORT_CHOICES
from practices.search.keywords import Keywords


def forgiven(data: QueryDict, errors: dict) -> tuple[QueryDict, list[str]]:
    """``data`` with each value of the parameters named in ``errors`` read whatever its case,
    or left out; and a notice for each value left out."""
    params = data.copy()
    notices = []
    for spec in FACETS:
        if spec.param in errors:
            known = _known_values(spec)
            kept = []
            for value in data.getlist(spec.param):
                match = known.get(value.strip().casefold())
                if match is None:
                    notices.append(
                        gettext(
                            "“%(value)s” is not a value of “%(facet)s”: it was left out, "
                            "and the rest of your search is shown."
                        )
                        % {"value": value[:60], "facet": spec.label}
                    )
                elif match not in kept:
                    kept.append(match)
            params.setlist(spec.param, kept)
        if spec.switchable and spec.match_param in errors:
            values = [value.strip().casefold() for value in data.getlist(spec.match_param)]
            params.setlist(spec.match_param, [value for value in values if value in (ALL, ANY)])
    if "sort" in errors:
        sorts = {value for value, _ in SORT_CHOICES}
        params.setlist("sort", [value for value in data.getlist("sort") if value in sorts])
    return params, notices


def without_empty_keywords(data: QueryDict) -> tuple[QueryDict, list[str]]:
    """``data`` without keywords that hold no word to search for (``@#$%``), with a notice."""
    text = data.get("q", "")
    if not text.strip() or Keywords.parse(text):
        return data, []
    params = data.copy()
    params.pop("q")
    notice = gettext("“%(text)s” has no word to search for, so it was left out.")
    return params, [notice % {"text": text[:60]}]


def _known_values(spec) -> dict[str, str]:
    """Each value of a facet as the URL spells it, by its folded form."""
    slugs = spec.url_values()
    return {str(slug).casefold(): str(slug) for slug in slugs}
