"""Read-only JSON API over published practices, searched by the same FilterSet as the site.

Django REST framework gives content negotiation, consistent 400 bodies, pagination and an
OpenAPI description (through drf-spectacular) that we would otherwise write and keep in
step by hand; django-filter's DRF backend plugs the site's FilterSet in unchanged.
"""

from django.http import QueryDict
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from practices.api.pagination import FACET_OPTION_SCHEMA, PracticePagination
from practices.api.serializers import PracticeSerializer
from practices.facets import cached_for_search, facet_counts
from practices.filters import PracticeFilter, search_practices
from practices.indexed_search import indexed_results
from practices.models import Practice

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


class PracticeFilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend, keeping the FilterSet on the view for the facet counts."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        filterset.over_published = True  # the view's queryset is every published practice
        view.filterset = filterset
        return filterset.qs


def facets_as_json(filterset):
    return {
        facet.param: [
            {"slug": option.slug, "name": option.name, "count": option.count}
            for option in facet.options
        ]
        for facet in facet_counts(filterset)
    }


class PracticeList(generics.ListAPIView):
    """Published practices matching the search, with the facet counts of the whole result."""

    serializer_class = PracticeSerializer
    filter_backends = [PracticeFilterBackend]
    filterset_class = PracticeFilter
    pagination_class = PracticePagination

    def get_queryset(self):
        return Practice.objects.published()

    @extend_schema(responses={200: PracticeSerializer(many=True), 400: BAD_REQUEST})
    def get(self, request, *args, **kwargs):
        results = self.filter_queryset(self.get_queryset())
        indexed = indexed_results(self.filterset, self.get_queryset().with_tags())
        page = self.paginate_queryset(indexed if indexed is not None else results.with_tags())
        serializer = self.get_serializer(page, many=True)
        facets = cached_for_search(
            self.filterset, "facets-json", lambda: facets_as_json(self.filterset)
        )
        return self.paginator.get_paginated_response(serializer.data, facets=facets)


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
        filterset = search_practices(QueryDict())
        return Response(
            {
                param: {"label": filterset.filters[param].label, "values": options}
                for param, options in facets_as_json(filterset).items()
            }
        )
