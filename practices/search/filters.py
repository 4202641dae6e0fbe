"""The one definition of what can be searched.

The search page, the CSV export and the JSON API all go through ``PracticeFilter`` (by way of
``search.selector.search``); its field names are the public URL parameters. Its facet filters
are made from ``search.facets.registry.FACETS`` by each facet's kind (``facets.kinds``).
"""

import django_filters
from django import forms

from practices.models import Practice
from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.facets.registry import ALL, ANY, FACETS
from practices.search.keywords import Keywords

KEYWORDS_MAX_LENGTH = 200

SORT_CHOICES = [
    ("title", "Title (A-Z)"),
    ("-updated", "Recently updated"),
    ("country", "Country"),
]


class KeywordsField(forms.CharField):
    """Keywords, read once into a ``Keywords`` value when the form is cleaned."""

    def clean(self, value):
        return Keywords.parse(super().clean(value))


class KeywordsFilter(django_filters.CharFilter):
    field_class = KeywordsField


def match_filter(spec) -> django_filters.Filter:
    """``<param>_match``: all of the chosen values (the default) or any of them; read by the
    facet's own filter (``SlugMultipleChoiceFilter.filter``) and by the engines."""
    return django_filters.ChoiceFilter(
        choices=[(ALL, "all of these"), (ANY, "any of these")],
        method="keep_for_matching",
        empty_label=None,
        label=f"{spec.label}: match",
        help_text=f"Practices with all the chosen values of {spec.param} (all, the default) "
        "or with any of them (any).",
    )


class PracticeFilter(django_filters.FilterSet):
    """Filters combine with AND across fields; within a field as the registry says."""

    q = KeywordsFilter(
        label="Keywords",
        method="filter_keywords",
        max_length=KEYWORDS_MAX_LENGTH,
        help_text="Words in the title, original title or description.",
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="keep_for_ordering", empty_label="Relevance", label="Sort by"
    )

    class Meta:
        model = Practice
        fields = []

    @classmethod
    def get_filters(cls):
        declared = super().get_filters()
        # In the page's order: keywords, the facets (each facet of tags followed by how its
        # values combine), the order of results.
        facets = {}
        for spec in FACETS:
            facets[spec.param] = spec.kind.filter(spec)
            if spec.switchable:
                facets[spec.match_param] = match_filter(spec)
        return {"q": declared["q"], **facets, "sort": declared["sort"]}

    def asks_any_of(self, path) -> bool:
        """Whether the search asks for any chosen value of the facet stored at ``path``."""
        data = getattr(self.form, "cleaned_data", {})
        return any(
            spec.path == path and data.get(spec.match_param) == ANY
            for spec in FACETS
            if spec.switchable
        )

    def filter_keywords(self, queryset, name, keywords):
        return fulltext.matching(queryset, keywords)

    def keep_for_matching(self, queryset, name, value):
        # Read by the facet's own filter; nothing to filter here.
        return queryset

    def keep_for_ordering(self, queryset, name, value):
        # Ordering is applied once all filters have run, in filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        return self.order(super().filter_queryset(queryset))

    @property
    def keywords(self) -> Keywords:
        """The cleaned keywords of a valid search."""
        keywords = getattr(self.form, "cleaned_data", {}).get("q")
        return Keywords.parse("") if keywords is None else keywords

    def criteria(self) -> Criteria:
        """The cleaned search of a valid FilterSet as values."""
        data = self.form.cleaned_data
        selected = {
            spec.param: frozenset(map(spec.kind.key_of(spec), data.get(spec.param) or []))
            for spec in FACETS
        }
        any_of = frozenset(
            spec.param for spec in FACETS if spec.switchable and data.get(spec.match_param) == ANY
        )
        return Criteria(self.keywords, selected, data.get("sort") or "", any_of)

    def order(self, queryset):
        """Relevance when keywords are given, otherwise title, unless ``sort`` says otherwise."""
        sort = getattr(self.form, "cleaned_data", {}).get("sort") or ""
        keywords = self.keywords
        if sort == "-updated":
            return queryset.order_by("-updated_at", "title", "pk")
        if sort == "country":
            return queryset.order_by("country", "title", "pk")
        if sort == "title" or not keywords:
            return queryset.order_by("title", "pk")
        return fulltext.by_relevance(queryset, keywords)
