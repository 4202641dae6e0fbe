"""The practice admin: the list curators work from, the change form, the history with its
comparison of two versions. Imports and list actions are mixins of their own."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from practices.admin.actions import PublicationActions
from practices.admin.filters import CountryFilter, CountryGroupFilter
from practices.admin.forms import PracticeForm
from practices.admin.imports import ImportViews
from practices.intake.stip.importer import differences_from_import
from practices.models import Practice, Recommendation, Suggestion
from practices.publication import REQUIRED_TAGS, problems_of
from practices.search.facets.registry import CHOICE, FACETS, FIELD, FIXED, TAGS
from practices.versions import differences, hold_version, record_version, tags_of

WHERE_IT_APPLIES = ["country", "territorial_validity", "region"]
# Facets the form places in a fieldset of their own; any other facet of the registry held by
# the practice itself is under "Classification".
PLACED_ELSEWHERE = {*WHERE_IT_APPLIES, "evaluated"}


def by_relevance(queryset, search_term):
    """``queryset`` (practices) with the title matches of ``search_term`` first (the whole
    term as the title, at its start, in it, then every word of it in the title), then the
    original title's, then the rest (the description, the region); A to Z within each,
    whatever the case. Unchanged for an empty term."""
    words = [_unquoted(word) for word in smart_split(search_term)]
    if not words:
        return queryset
    phrase = " ".join(words)

    def every_word_in(field):
        return Q.create([(f"{field}__icontains", word) for word in words], connector=Q.AND)

    rank = Case(
        When(title__iexact=phrase, then=Value(0)),
        When(title__istartswith=phrase, then=Value(1)),
        When(title__icontains=phrase, then=Value(2)),
        When(every_word_in("title"), then=Value(3)),
        When(every_word_in("original_title"), then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    return queryset.annotate(relevance=rank, title_folded=Lower("title")).order_by(
        "relevance", "title_folded", "pk"
    )


def _unquoted(word):
    """A word of a search as Django's admin searches it: "a phrase" in quotes is one word."""
    if len(word) > 1 and word[0] in "\"'" and word[0] == word[-1]:
        return unescape_string_literal(word)
    return word


def _id_or_404(value: str) -> int:
    """A practice's or a version's id from an address, or 404 for anything but a whole number:
    a mistyped address is not a server error."""
    if not (value.isascii() and value.isdigit()):
        raise Http404(f"No practice or version has the id {value!r}.")
    return int(value)


class SuggestionInline(admin.StackedInline):
    """Who suggested the practice: for curators to thank or ask, never shown in public."""

    model = Suggestion
    fields = ["name", "email", "may_contact", "submitted_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name = verbose_name_plural = "suggested by"

    def has_add_permission(self, request, obj=None):
        return False  # only the public form makes a suggestion


@admin.register(Practice)
class PracticeAdmin(ImportViews, PublicationActions, SimpleHistoryAdmin):
    form = PracticeForm
    inlines = [SuggestionInline]
    list_display = [
        "title",
        "country",
        "origin",
        "is_published",
        "still_lacks",
        "last_updated",
    ]
    list_display_links = ["title"]
    # the facets of a few values: a long list (years, instruments) would bury the queue
    list_filter = [
        "is_published",
        "origin",
        "tags_proposed",
        *(spec.path for spec in FACETS if not spec.long and not spec.kind.derived),
        CountryGroupFilter,
        CountryFilter,
    ]
    list_select_related = ["territorial_validity", "region"]
    search_fields = [
        "title",
        "original_title",
        "slug",
        "description",
        "region__name",
        "region__code",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["region"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "origin",
        "differences_from_source",
        "reviewed_at",
        "reviewed_by",
    ]
    date_hierarchy = "updated_at"
    list_per_page = 50
    actions = ["publish", "unpublish", "export_csv"]
    save_on_top = True
    object_history_template = "admin/practices/practice/object_history.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "original_title",
                    "description",
                    "link",
                    "is_published",
                    "known_revision",
                ]
            },
        ),
        ("Where it applies", {"fields": WHERE_IT_APPLIES}),
        (
            "Classification",
            {
                "fields": [
                    *(
                        spec.path
                        for spec in FACETS
                        if spec.kind in (TAGS, CHOICE, FIELD, FIXED)
                        and spec.path not in PLACED_ELSEWHERE
                    ),
                    "tags_reviewed",
                    ("reviewed_at", "reviewed_by"),
                ]
            },
        ),
        (
            "Facts",
            {
                "fields": [
                    ("start_year", "end_year"),
                    "organisation",
                    "evaluated",
                    "evaluation_links",
                ]
            },
        ),
        (
            "Source",
            {
                "fields": [
                    "origin",
                    "source_id",
                    "survey_year",
                    "tags_proposed",
                    "differences_from_source",
                ]
            },
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
        ("This change", {"fields": ["change_reason"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*REQUIRED_TAGS)

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in some field), ranked: the practice a curator names
        comes first, not the one whose title sorts first. A column the curator sorts by
        (``o=``) wins over the ranking."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if ORDER_VAR not in request.GET:
            queryset = by_relevance(queryset, search_term)
        return queryset, may_have_duplicates

    def view_on_site(self, practice):
        """The staff preview, which shows drafts too, as the public page will."""
        return reverse("practices:preview", args=[practice.slug])

    @admin.display(description="updated", ordering="updated_at")  # short: the list is wide
    def last_updated(self, practice):
        return date_format(timezone.localtime(practice.updated_at), "SHORT_DATE_FORMAT")

    @admin.display(description="still lacks")
    def still_lacks(self, practice):
        return "; ".join(problems_of(practice)) or "nothing"

    @admin.display(description="differences from the last import")
    def differences_from_source(self, practice):
        if not practice.imported:
            return "Not imported: the practice was written here."
        differences = differences_from_import(practice)
        if not differences:
            return "None: the practice holds what its source said at the last import."
        return format_html_join(
            "\n",
            "<p><strong>{}</strong>: here {}; the source says {}</p>",
            ((name, repr(current), repr(imported)) for name, current, imported in differences),
        )

    def save_model(self, request, obj, form, change):
        # One version for the fields and the tags: recorded once both are saved, when Django
        # logs the change (``log_addition``, ``log_change``), on the edit and revert pages alike.
        hold_version(obj, form.cleaned_data.get("change_reason") or self._default_reason(request))
        form.apply_review_mark(obj, request.user)
        super().save_model(request, obj, form, change)

    def _default_reason(self, request):
        version = getattr(request, "practice_version", None)
        if version is None:
            return ""
        moment = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        return f"Reverted to the version of {moment}"

    def log_addition(self, request, obj, message):
        if hasattr(obj, "skip_history_when_saving"):
            record_version(obj, created=True, user=request.user)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if hasattr(obj, "skip_history_when_saving"):
            record_version(obj, created=False, user=request.user)
        return super().log_change(request, obj, message)

    def history_view(self, request, object_id, extra_context=None):
        _id_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, with the tags it carried (not today's), ready to be restored as a
        new version: fields and tags alike."""
        request.practice_version = get_object_or_404(
            Practice.history.model, id=_id_or_404(object_id), history_id=_id_or_404(version_id)
        )
        with transaction.atomic():  # the stale-edit check locks the row until the save ends
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        version = getattr(request, "practice_version", None)
        if version is None:
            return form
        initial = {
            **tags_of(version),
            # a revert is made over the current version, like any other change
            "known_revision": Practice.objects.get(pk=version.id).revision,
        }

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
                super().__init__(*args, **kwargs)

        return VersionForm

    def compare_view(self, request, object_id):
        """What changed between two versions of a practice, fields and tags, old -> new."""
        practice = get_object_or_404(Practice, pk=object_id)
        if not self.has_view_or_change_permission(request, practice):
            raise PermissionDenied
        chosen = [request.GET.get("from", ""), request.GET.get("to", "")]
        if not all(chosen):  # the history's form sent with one of the two left unchosen
            self.message_user(request, "Choose two versions of this practice.", messages.ERROR)
            return redirect("admin:practices_practice_history", practice.pk)
        versions = Practice.history.filter(id=practice.pk)
        older, newer = (get_object_or_404(versions, history_id=_id_or_404(id_)) for id_ in chosen)
        if older.history_date > newer.history_date:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": practice,
            "title": f"Changes to {practice}",
            "older": older,
            "newer": newer,
            "differences": differences(older, newer),
        }
        return TemplateResponse(request, "admin/practices/practice/compare.html", context)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name != "recommendations":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        recommendations = Recommendation.objects.select_related("pillar").order_by("number")
        kwargs["queryset"] = recommendations
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        # under their pillar, each with its number, as the expert group wrote them
        grouped = {}
        for recommendation in recommendations:
            grouped.setdefault(recommendation.pillar.name.capitalize(), []).append(
                (recommendation.pk, f"{recommendation.number}. {recommendation.name}")
            )
        field.choices = list(grouped.items())
        return field

    def get_urls(self):
        return [
            *self.import_urls(),
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="practices_practice_compare",
            ),
            *super().get_urls(),
        ]
