"""Read-only JSON API over published practices, searched by the site's selector
(``search.selector.search``): the same FilterSet, engines and facet counts as the page.

Django REST framework gives content negotiation, consistent 400 bodies, pagination links and
an OpenAPI description (through drf-spectacular, which reads the FilterSet through
django-filter's DRF backend) that we would otherwise write and keep in step by hand.
"""

from django.http import QueryDict
from django.shortcuts import render
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from practices.api import documentation
from practices.api.pagination import FACET_OPTION_SCHEMA, PracticePagination
from practices.api.serializers import PracticeSerializer
from practices.models import Practice
from practices.querysets import PracticeQuerySet
from practices.search.facets.registry import FACETS
from practices.search.filters import PracticeFilter
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


# The settings of a search with a list of allowed values and a default: sort and each
# facet's way of combining (``_match``).
ENUM_SETTINGS = ["sort", *(spec.match_param for spec in FACETS if spec.switchable)]


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
        empty = [name for name in ENUM_SETTINGS if "" in request.query_params.getlist(name)]
        if empty:  # the page reads these as the default; the API's contract lists the values
            raise ValidationError(
                {name: ["An empty value is not one of the allowed values."] for name in empty}
            )
        # an empty page= or page_size= is no number: refused, not read as the default
        result = search(
            request.query_params,
            page=request.query_params.get("page", 1),
            page_size=request.query_params.get("page_size", PracticePagination.page_size),
            fetch=PracticeQuerySet.with_tags,
        )
        if result.status == 404:
            raise NotFound(" ".join(result.errors["page"]))
        if result.errors:
            raise ValidationError(result.errors)
        serializer = self.get_serializer(result.page, many=True)
        facets = result.cached("facets-json", lambda: facets_as_json(result))
        return self.paginator.paginated_response(request, result.page, serializer.data, facets)


@extend_schema(exclude=True)
@api_view(["GET"])
def api_index(request):
    """The endpoints, for a person or a program that starts at /api/."""
    return Response(
        {
            "practices": reverse("api:practice-list", request=request),
            "practice": reverse("api:practice-list", request=request) + "{slug}/",
            "taxonomies": reverse("api:taxonomies", request=request),
            "openapi": reverse("api:openapi", request=request),
            "documentation": reverse("api:docs", request=request),
            "data": reverse("opendata:data", request=request),
            "catalog": reverse("opendata:catalog", request=request),
        }
    )


def api_documentation(request):
    """The API's documentation, drawn from its OpenAPI description."""
    info, found = documentation.operations()
    return render(request, "api/documentation.html", {"info": info, "operations": found})


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
