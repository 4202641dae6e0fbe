"""List filters of the admin."""

from django.contrib import admin
from django_countries.fields import Country

from practices.models import Practice
from practices.search.facets.registry import GROUPS, of_kind


class CountryFilter(admin.SimpleListFilter):
    """The countries that have practices, by name (not the 250 of the standard)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Practice.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, Country(code).name) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class CountryGroupFilter(admin.SimpleListFilter):
    """The country groups of the search (EU-27, Nordic countries, ...): the practices of any
    of a group's countries."""

    title = "country group"
    parameter_name = "country_group"

    def lookups(self, request, model_admin):
        return [(group.slug, group.name) for group in self._spec.groups()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(country__in=sorted(self._spec.members([self.value()])))

    @property
    def _spec(self):
        (spec,) = of_kind(GROUPS)
        return spec
