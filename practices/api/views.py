"""Read-only JSON API over published practices, searched by the site's selector
(``search.selector.search``): the same FilterSet, engines and facet counts as the page.

Django REST framework gives content negotiation, consistent 400 bodies, pagination links and
an OpenAPI description (through drf-spectacular, which reads the FilterSet through
django-filter's DRF backend) that we would otherwise write and keep in step by hand.
"""

from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from practices.api.pagination import FACET_OPTION_SCHEMA, PracticePagination
from practices.api.serializers import PracticeSerializer
from practices.filters import PracticeFilter
from practices.models import Practice
from practices.querysets import PracticeQuerySet
from practices.search.selector import search

BAD_REQUEST = OpenApiResponse(
    description="A parameter was not understood; the body maps each such parameter to messages.",
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {
            "priority": ["Select a valid choice. blue is not one of the available choices."]
        },
    },
)

TAXONOMIES = OpenApiResponse(
    description="Keyed by filter parameter (priority, challenge, ...).",
    response={
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "required": ["label", "values"],
            "properties": {
                "label": {"type": "string"},
                "values": {"type": "array", "items": FACET_OPTION_SCHEMA},
            },
        },
    },
)


def options_as_json(facet):
    return [
        {"slug": option.slug, "name": option.name, "count": option.count}
        for option in facet.options
    ]


def facets_as_json(result):
    return {facet.param: options_as_json(facet) for facet in result.facets}


class PracticeList(generics.ListAPIView):
    """Published practices matching the search, with the facet counts of the whole result."""

    serializer_class = PracticeSerializer
    # For the OpenAPI description: the parameters are the FilterSet's and the pagination's.
    filter_backends = [DjangoFilterBackend]
    filterset_class = PracticeFilter
    pagination_class = PracticePagination

    def get_queryset(self):
        return Practice.objects.published()

    @extend_schema(responses={200: PracticeSerializer(many=True), 400: BAD_REQUEST})
    def get(self, request, *args, **kwargs):
        result = search(
            request.query_params,
            page=request.query_params.get("page") or 1,
            page_size=request.query_params.get("page_size") or PracticePagination.page_size,
            fetch=PracticeQuerySet.with_tags,
        )
        if result.status == 404:
            raise NotFound(result.errors)
        if result.errors:
            raise ValidationError(result.errors)
        serializer = self.get_serializer(result.page, many=True)
        facets = result.cached("facets-json", lambda: facets_as_json(result))
        return self.paginator.paginated_response(request, result.page, serializer.data, facets)


class PracticeDetail(generics.RetrieveAPIView):
    """One published practice."""

    serializer_class = PracticeSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Practice.objects.published().with_tags()


class TaxonomyList(APIView):
    """Every taxonomy, keyed by its filter parameter, with each value's published count."""

    @extend_schema(responses={200: TAXONOMIES})
    def get(self, request):
        result = search(QueryDict(), page=None)
        return Response(
            {
                facet.param: {"label": facet.label, "values": options_as_json(facet)}
                for facet in result.facets
            }
        )
