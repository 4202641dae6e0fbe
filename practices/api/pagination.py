from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from practices.search.facets.registry import FACETS
from practices.search.selector import MAX_PAGE_SIZE

FACET_OPTION_SCHEMA = {
    "type": "object",
    "required": ["slug", "name", "count"],
    "properties": {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "count": {"type": "integer", "description": "Results if this option were chosen."},
    },
}


class PracticePagination(PageNumberPagination):
    """Numbered pages of practices with the facet counts of the whole search. The page itself
    comes from ``search.selector.search``; this class writes the response around it and
    describes it in the OpenAPI document."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginated_response(self, request, page, data, facets):
        self.request, self.page = request, page  # what DRF's next and previous links read
        return self.get_paginated_response(data, facets=facets)

    def get_paginated_response(self, data, facets=None):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
                "facets": facets or {},
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["facets"] = {
            "type": "object",
            "description": "For each filter parameter, every option with the number of results "
            "choosing it would give (the HTML page's facet counts).",
            "properties": {
                spec.param: {"type": "array", "items": FACET_OPTION_SCHEMA} for spec in FACETS
            },
        }
        for link in ["next", "previous"]:  # DRF writes OpenAPI 3.0's "nullable"; we serve 3.1
            response["properties"][link] = {"type": ["string", "null"], "format": "uri"}
        response["required"] = ["count", "next", "previous", "results", "facets"]
        return response
