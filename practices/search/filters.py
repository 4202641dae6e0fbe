"""The one definition of what can be searched.

The search page, the CSV export and the JSON API all go through ``PracticeFilter`` (by way of
``search.selector.search``); its field names are the public URL parameters. Its facet filters
are made from ``search.registry.FACETS``.
"""

import django_filters
from django import forms
from django.db.models import Q

from practices.models import Practice
from practices.search import fulltext
from practices.search.criteria import Criteria
from practices.search.facets.registry import ALL, ANY, FACETS
from practices.search.keywords import Keywords
from practices.years import YEARS

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

    def filter(self, queryset, value):
        if value and self.conjoined and self.parent.asks_any_of(self.field_name):
            # Any of the chosen tags: one subquery on the link table, so a practice carrying
            # two of them is still one row.
            relation = Practice._meta.get_field(self.field_name)
            links = relation.remote_field.through.objects.filter(
                **{f"{relation.m2m_reverse_field_name()}__in": [tag.pk for tag in value]}
            )
            return queryset.filter(pk__in=links.values(relation.m2m_field_name()))
        return super().filter(queryset, value)


class FixedValuesFilter(django_filters.MultipleChoiceFilter):
    """A plain field of a few values named by slug: ``?evaluated=yes``; any of them matches."""

    def __init__(self, *args, spec, **kwargs):
        self.spec = spec
        kwargs["choices"] = [(slug, label) for slug, _, label in spec.fixed_values]
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        stored = [self.spec.stored(slug) for slug in value]
        return queryset.filter(**{f"{self.field_name}__in": stored})


class ActiveInYearFilter(django_filters.MultipleChoiceFilter):
    """Years in which a practice runs: ``?year=2021``; with several, active in each."""

    def __init__(self, *args, spec, **kwargs):
        self.spec = spec
        kwargs["choices"] = [(str(year), str(year)) for year in YEARS]
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        for year in map(int, value or []):
            queryset = queryset.filter(active_in(self.spec, year))
        return queryset


def active_in(spec, year: int) -> Q:
    """Practices of a span facet that run in ``year``."""
    return Q(**{f"{spec.path}__lte": year}) & (
        Q(**{f"{spec.end_path}__isnull": True}) | Q(**{f"{spec.end_path}__gte": year})
    )


def facet_filter(spec) -> django_filters.Filter:
    """The filter of a facet of the registry: every selected value required for a multi-valued
    facet (``conjoined``), any of them for a single-valued one."""
    if spec.end_path:
        return ActiveInYearFilter(
            spec=spec,
            field_name=spec.path,
            widget=forms.CheckboxSelectMultiple,
            conjoined=True,  # active in each chosen year
            label=spec.label,
        )
    if spec.fixed_values:
        return FixedValuesFilter(
            spec=spec,
            field_name=spec.path,
            widget=forms.CheckboxSelectMultiple,
            label=spec.label,
        )
    if spec.model is None:
        return django_filters.MultipleChoiceFilter(
            field_name=spec.path,
            choices=spec.field.choices,
            widget=forms.CheckboxSelectMultiple,
            distinct=False,
            label=spec.label,
        )
    return SlugMultipleChoiceFilter(
        field_name=spec.path,
        queryset=spec.model.objects.all(),
        conjoined=spec.multi_valued,
        label=spec.label,
    )


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
            facets[spec.param] = facet_filter(spec)
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
            spec.param: frozenset(map(_key_of(spec), data.get(spec.param) or [])) for spec in FACETS
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


def _key_of(spec):
    """How the engines know a cleaned value of a facet: a taxonomy's id, a stored value."""
    if spec.fixed_values:
        return spec.stored
    if spec.end_path:
        return int
    return lambda value: getattr(value, "pk", value)
