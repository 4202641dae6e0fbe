from functools import partial

from django.core.paginator import Paginator
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from practices.facets import FACETS, indexed_result_count


class CountedPaginator(Paginator):
    """A paginator told the number of results when it is already known."""

    def __init__(self, *args, known_count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count


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
    """Numbered pages of practices with the facet counts of the whole search."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1") or "1"
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": ["A whole number from 1."]})
        filterset = getattr(view, "filterset", None)
        known_count = indexed_result_count(filterset) if filterset is not None else None
        self.django_paginator_class = partial(CountedPaginator, known_count=known_count)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound({"page": [f"There is no page {raw[:20]} of these results."]}) from None

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
                facet.param: {"type": "array", "items": FACET_OPTION_SCHEMA} for facet in FACETS
            },
        }
        for link in ["next", "previous"]:  # DRF writes OpenAPI 3.0's "nullable"; we serve 3.1
            response["properties"][link] = {"type": ["string", "null"], "format": "uri"}
        response["required"] = ["count", "next", "previous", "results", "facets"]
        return response
