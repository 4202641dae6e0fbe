"""The OpenAPI description made exact: drf-spectacular reads the FilterSet and the serializers;
this hook adds what it cannot know, so that a contract tester finds the description and the
API in agreement:

- each filter's allowed values as an enum, read from the taxonomies (so it follows curators'
  changes), and the bounds of the numbers (page from 1, page_size 1 to 100, years);
- every status the API answers with its JSON body: 400 (a parameter not understood, naming
  it), 404 (no such practice, a page past the last, any other address under /api/), 414 (a
  query string too long), 429 (too many requests, with Retry-After) and 503 (the database
  unreachable, with Retry-After).
"""

from django.conf import settings

from practices.api.pagination import PracticePagination
from practices.search.facets.registry import FACETS, SPAN
from practices.search.filters import KEYWORDS_MAX_LENGTH
from practices.search.selector import MAX_PAGE_SIZE
from toolkit.middleware import MAX_API_QUERY_BYTES

ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
        "required": True,
    }
}
COMMON_ERRORS = {
    "414": {
        "description": f"The query string is longer than {MAX_API_QUERY_BYTES} bytes.",
        "content": {"application/json": {"schema": ERROR}},
    },
    "429": {
        "description": "Too many requests from this address; try again after Retry-After.",
        "headers": RETRY_AFTER,
        "content": {"application/json": {"schema": ERROR}},
    },
    "503": {
        "description": "The database is unreachable for a moment; try again after Retry-After.",
        "headers": RETRY_AFTER,
        "content": {"application/json": {"schema": ERROR}},
    },
}
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"


def exact_description(result, generator, request, public):
    """drf-spectacular's postprocessing hook (``SPECTACULAR_SETTINGS``)."""
    facets = {spec.param: spec for spec in FACETS}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _make_exact(parameter, facets)
            responses = operation.setdefault("responses", {})
            for status, response in COMMON_ERRORS.items():
                responses.setdefault(status, response)
            if path.endswith("{slug}/"):
                responses["404"] = _not_found("No published practice has this slug.")
            elif path == f"{settings.API_PREFIX}practices/":
                responses["404"] = _not_found("The page is past the last page of the results.")
    return result


def _not_found(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _make_exact(parameter, facets):
    name = parameter["name"]
    if name == "slug" and parameter["in"] == "path":
        parameter["schema"] = {"type": "string", "pattern": SLUG_PATTERN}
    elif name == "page":
        parameter["schema"] = {"type": "integer", "minimum": 1, "default": 1}
        parameter["description"] = "The page of results, from 1; past the last page: 404."
    elif name == "page_size":
        parameter["schema"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PAGE_SIZE,
            "default": PracticePagination.page_size,
        }
        parameter["description"] = f"Practices per page, from 1 to {MAX_PAGE_SIZE}."
    elif name == "sort":
        parameter["description"] = (
            "The order of the results: title (A-Z), -updated (recently updated first) or "
            "country; with keywords and no sort, by relevance."
        )
    elif name.endswith("_match") and name.removesuffix("_match") in facets:
        parameter["description"] = (
            f"How the chosen values of {name.removesuffix('_match')} combine: all (the "
            "default: practices with all of them) or any (practices with any of them)."
        )
    elif name == "q":
        parameter["schema"] = {"type": "string", "maxLength": KEYWORDS_MAX_LENGTH}
    elif name in facets:
        spec = facets[name]
        item, bounds = spec.kind.openapi_item(spec)
        parameter["schema"] = {"type": "array", "items": item}
        if spec.switchable:
            combining = f"practices with all of them, or any with {spec.match_param}=any"
        elif spec.kind == SPAN:
            combining = "practices active in each of them"
        else:
            combining = "practices with any of them"
        parameter["description"] = (
            f"{spec.label}: {bounds}. Repeat the parameter for several: {combining}."
        )
