from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from factsheets.models import CountryFactsheet, Source


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    fields = ["title", "url", "year"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CountryFactsheet)
class CountryFactsheetAdmin(SimpleHistoryAdmin):
    """Each save is a version (History compares and reverts); the sources' own changes,
    deletions included, are listed on the same History page."""

    list_display = [
        "country",
        "policy_level",
        "instruments",
        "budget",
        "source_count",
        "updated_at",
    ]
    list_filter = ["policy_level", "instruments"]
    search_fields = ["country", "objectives", "programmes", "results"]
    inlines = [SourceInline]
    object_history_template = "admin/factsheets/countryfactsheet/object_history.html"
    fieldsets = [
        (None, {"fields": ["country", "policy_level", "objectives", "instruments", "programmes"]}),
        (
            "Budget",
            {
                "fields": [
                    ("budget_low", "budget_high", "budget_currency"),
                    ("budget_period", "budget_year"),
                    "budget_note",
                ]
            },
        ),
        (None, {"fields": ["results"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description="sources")
    def source_count(self, factsheet):
        return len(factsheet.sources.all())

    def history_view(self, request, object_id, extra_context=None):
        source_versions = (
            Source.history.filter(factsheet_id=object_id)
            .select_related("history_user")
            .order_by("-history_date")
        )
        extra_context = {**(extra_context or {}), "source_versions": source_versions}
        return super().history_view(request, object_id, extra_context=extra_context)
