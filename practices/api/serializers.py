"""JSON shapes of the API. Field names follow the CSV export's columns."""

import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practices.csv_format import DERIVED_COLUMNS
from practices.models import Practice
from practices.search.facets.registry import CHOICE, CSV_COLUMNS, GROUPS, TAGS, of_kind


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class RecommendationSerializer(TagSerializer):
    number = serializers.IntegerField()
    pillar = serializers.CharField(source="pillar.name")


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A URL, or an empty string when none is known."""


@extend_schema_field(TagSerializer(many=True))
class GroupsField(serializers.Field):
    """The groups a practice is in through a facet of groups (its country's groups), each as
    {slug, name}: derived, as the CSV's column is."""

    def __init__(self, *, spec, **kwargs):
        self.spec = spec
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, practice):
        values = self.spec.kind.values_of(self.spec, practice)
        return [{"slug": slug, "name": name} for slug, name in values]


class PracticeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The practice's page on this site.")
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2")
    country_name = serializers.CharField(source="country.name")
    territorial_validity = TagSerializer()
    # The lists ``PracticeQuerySet.with_tags`` fetches.
    thematic_priorities = TagSerializer(source="priorities_list", many=True)
    recommendations = RecommendationSerializer(source="recommendations_list", many=True)
    strategic_challenges = TagSerializer(source="challenges_list", many=True)
    cluster_support = TagSerializer(source="support_types_list", many=True)
    region_code = serializers.CharField(source="region.code", allow_null=True, default=None)
    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    typology = TagSerializer(source="region.typology", allow_null=True, default=None)
    link = OptionalURLField(help_text="Further information, often in the original language.")
    updated = serializers.SerializerMethodField(help_text="Date of the last update (UTC).")
    evaluation_links = serializers.ListField(
        child=serializers.URLField(),
        source="evaluation_link_list",
        help_text="Reports of the practice's evaluations.",
    )

    class Meta:
        model = Practice
        # The CSV export's columns, in its order, with the page's address after the slug;
        # the recommendations' names are in their objects; the groups of the country last.
        fields = [
            CSV_COLUMNS[0],
            "url",
            *(c for c in CSV_COLUMNS[1:] if c not in DERIVED_COLUMNS),
            *(spec.csv_column for spec in of_kind(GROUPS)),
        ]

    def build_field(self, field_name, info, model_class, nested_depth):
        """The column of a facet added to the registry and not declared above: its values as
        objects, read from what ``PracticeQuerySet.with_tags`` fetched."""
        for spec in of_kind(TAGS):
            if spec.csv_column == field_name:
                return TagSerializer, {"source": f"{spec.path}_list", "many": True}
        for spec in of_kind(CHOICE):
            if spec.csv_column == field_name:
                source = {} if spec.path == field_name else {"source": spec.path}
                return TagSerializer, {**source, "allow_null": True}
        for spec in of_kind(GROUPS):
            if spec.csv_column == field_name:
                return GroupsField, {"spec": spec}
        return super().build_field(field_name, info, model_class, nested_depth)

    def get_url(self, practice) -> str:
        request = self.context.get("request")
        path = practice.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_updated(self, practice) -> datetime.date:
        return practice.updated_at.astimezone(datetime.UTC).date()
