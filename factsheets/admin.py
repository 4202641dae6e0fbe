from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from factsheets.models import CountryFactsheet, Source

# The admin's wide text inputs: titles and notes read whole instead of cut at 20 characters.
WIDE = forms.TextInput(attrs={"class": "vLargeTextField"})


SECTION_BOXES = (
    "supports_level",
    "supports_objectives",
    "supports_instruments",
    "supports_programmes",
    "supports_budget",
    "supports_results",
)


class FactsheetForm(forms.ModelForm):
    """The factsheet's sources are edited in the same form: its inline checks that each
    filled section has one (the sources saved before the edit would be the wrong ones)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.defer_source_check = True


class SourceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        sources = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        try:
            self.instance.check_sources(sources)
        except ValidationError as unsupported:
            raise ValidationError(unsupported.messages) from None


class SourceInline(admin.StackedInline):
    """One block per source: a table of three inputs ran off a phone's screen. The boxes say
    which sections of the factsheet the source's facts support, which dates each section."""

    model = Source
    formset = SourceFormSet
    extra = 1
    fieldsets = [
        (None, {"fields": ["title", "url", "year"]}),
        ("Supports the sections", {"fields": [SECTION_BOXES]}),
    ]
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
    form = FactsheetForm
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
