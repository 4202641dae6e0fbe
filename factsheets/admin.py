from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from factsheets.models import CountryFactsheet, Source

# The admin's wide text inputs: titles and notes read whole instead of cut at 20 characters.
WIDE = forms.TextInput(attrs={"class": "vLargeTextField"})


class SourceInline(admin.StackedInline):
    """One block per source: a table of three inputs ran off a phone's screen."""

    model = Source
    extra = 1
    fields = ["title", "url", "year"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(WIDE.attrs)},
        models.CharField: {"widget": WIDE},
    }


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "budget_note":
            kwargs["widget"] = WIDE
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
