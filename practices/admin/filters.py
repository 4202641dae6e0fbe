"""List filters of the admin."""

from django.contrib import admin
from django_countries.fields import Country

from practices.models import Practice


class CountryFilter(admin.SimpleListFilter):
    """The countries that have practices, by name (not the 250 of the standard)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Practice.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, Country(code).name) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset
