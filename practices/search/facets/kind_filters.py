"""The django-filter filters of the facets that Django's own do not cover: taxonomy values
by slug (all or any of them), a few fixed values by slug, the years a practice runs, groups
of another facet's values."""

import django_filters
from django import forms
from django.db.models import Q

from practices.years import YEARS


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
            relation = queryset.model._meta.get_field(self.field_name)
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


class GroupsFilter(django_filters.MultipleChoiceFilter):
    """Groups of the values of another field, named by slug: ``?country_group=nordic``; a
    practice whose value is in any chosen group matches."""

    def __init__(self, *args, spec, **kwargs):
        self.spec = spec
        kwargs["choices"] = [(group.slug, group.name) for group in spec.groups()]
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": sorted(self.spec.members(value))})


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
