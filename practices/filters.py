"""The one definition of what can be searched.

The HTML search page, the CSV export and the JSON API all go through ``PracticeFilter``;
its field names are the public URL parameters.
"""

import django_filters
from django import forms
from django_countries import countries

from practices.models import (
    Practice,
    Recommendation,
    StrategicChallenge,
    SupportType,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)

KEYWORDS_MAX_LENGTH = 200

SORT_CHOICES = [
    ("title", "Title (A-Z)"),
    ("-updated", "Recently updated"),
    ("country", "Country"),
]


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several taxonomy values named by slug: ``?priority=resilience&priority=green-transition``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        # Each link table row is unique per (practice, tag) and each single-valued field holds
        # one value, so no filter here can repeat a practice: DISTINCT would only cost time.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        # Compare by primary key: the URL names a slug, the rows store the taxonomy's id.
        return {self.field_name: v.pk}


class PracticeFilter(django_filters.FilterSet):
    """Filters combine with AND across fields. Within a tag field (a practice may carry several
    values) every selected value is required; within a single-valued field any selected value
    matches."""

    q = django_filters.CharFilter(
        label="Keywords",
        method="filter_keywords",
        max_length=KEYWORDS_MAX_LENGTH,
        help_text="Words in the title, original title or description.",
    )
    territorial_validity = SlugMultipleChoiceFilter(
        queryset=TerritorialValidity.objects.all(), label="Territorial validity"
    )
    challenge = SlugMultipleChoiceFilter(
        field_name="challenges",
        queryset=StrategicChallenge.objects.all(),
        conjoined=True,
        label="Strategic challenges",
    )
    priority = SlugMultipleChoiceFilter(
        field_name="priorities",
        queryset=ThematicPriority.objects.all(),
        conjoined=True,
        label="Thematic priority",
    )
    support = SlugMultipleChoiceFilter(
        field_name="support_types",
        queryset=SupportType.objects.all(),
        conjoined=True,
        label="Type of cluster support",
    )
    recommendation = SlugMultipleChoiceFilter(
        field_name="recommendations",
        queryset=Recommendation.objects.select_related("pillar"),
        conjoined=True,
        label="Expert-group recommendation",
    )
    typology = SlugMultipleChoiceFilter(
        field_name="region__typology", queryset=Typology.objects.all(), label="Region typology"
    )
    country = django_filters.MultipleChoiceFilter(
        choices=countries,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        label="Country",
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="keep_for_ordering", empty_label="Relevance", label="Sort by"
    )

    class Meta:
        model = Practice
        fields = []

    def filter_keywords(self, queryset, name, value):
        return queryset.search(value)

    def keep_for_ordering(self, queryset, name, value):
        # Ordering is applied once all filters have run, in filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        return self.order(super().filter_queryset(queryset))

    def order(self, queryset):
        """Relevance when keywords are given, otherwise title, unless ``sort`` says otherwise."""
        data = getattr(self.form, "cleaned_data", {})
        sort = data.get("sort") or ""
        keywords = data.get("q") or ""
        if sort == "-updated":
            return queryset.order_by("-updated_at", "title", "pk")
        if sort == "country":
            return queryset.order_by("country", "title", "pk")
        if sort == "title" or not keywords:
            return queryset.order_by("title", "pk")
        return queryset.by_relevance(keywords)


def search_practices(params, *, queryset=None) -> PracticeFilter:
    """Filter published practices by URL parameters. The returned FilterSet's ``qs`` holds the
    results in display order; ``is_valid()`` and ``errors`` say whether every parameter made sense.
    """
    over_published = queryset is None
    if over_published:
        queryset = Practice.objects.published()
    filterset = PracticeFilter(params, queryset=queryset)
    filterset.over_published = over_published  # facets may then use the in-memory index
    return filterset
