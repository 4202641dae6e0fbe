from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django_countries.fields import Country
from simple_history.admin import SimpleHistoryAdmin

from practices.exchange.exports import csv_chunks, practice_url_prefix
from practices.intake import pending as pending_imports
from practices.intake.csv.importer import ImportReport, import_practices
from practices.intake.stip.importer import CLUSTER_POLICIES, differences_from_import, import_stip
from practices.models import (
    BudgetRange,
    InstrumentType,
    Pillar,
    Practice,
    Recommendation,
    Region,
    StrategicChallenge,
    Suggestion,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)
from practices.publication import problems_of, publication_problems
from practices.search.facets.registry import CHOICE, FACETS, TAGS
from practices.versions import (
    REASON_LENGTH,
    differences,
    hold_version,
    record_version,
    tags_of,
)

ADMIN_IMPORT_MAX_BYTES = 10 * 2**20  # larger files: manage.py import_practices
WHERE_IT_APPLIES = ["country", "territorial_validity", "region"]


class PracticeForm(forms.ModelForm):
    # The revision the curator opened: saving over a newer one is refused (``clean``).
    known_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=REASON_LENGTH,
        required=False,
        help_text="Optional; kept with this version in the history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("known_revision", self.instance.revision)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._refuse_a_stale_edit(cleaned.get("known_revision"))
        if cleaned.get("is_published"):
            problems = publication_problems(
                description=cleaned.get("description", ""),
                challenges=cleaned.get("challenges"),
                support_types=cleaned.get("support_types"),
                tags_proposed=cleaned.get("tags_proposed"),
            )
            if problems:
                raise forms.ValidationError(
                    f"This practice cannot be published yet: {'; '.join(problems)}. "
                    "Untick “published” to save it as a draft."
                )
        return cleaned

    def _refuse_a_stale_edit(self, known_revision):
        """Refuse to save over a version someone else saved after this form was opened, and
        say what they changed. The row stays locked until the save ends, so no other save
        slips in between this check and this save."""
        current = (
            Practice.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("revision", flat=True)
            .first()
        )
        if current is None or known_revision == current:
            return
        raise forms.ValidationError(stale_edit_message(self.instance.pk, known_revision))


def stale_edit_message(practice_pk, known_revision) -> str:
    """Who saved the practice since the form was opened, when, and what they changed: from
    the version the form was opened on (or, for a practice saved before versions kept their
    revision, the one before the latest) to the latest."""
    versions = Practice.history.filter(id=practice_pk)
    latest, *earlier = [*versions[:2], None]
    opened = versions.filter(revision=known_revision).first() or (earlier[0] if earlier else None)
    who = (latest and latest.history_user) or "Someone"
    when = date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT") if latest else ""
    if latest is None or opened is None:
        changed = "the practice"
    else:
        changed = (
            "; ".join(
                f"{difference.label}: “{Truncator(difference.old).chars(80)}” → "
                f"“{Truncator(difference.new).chars(80)}”"
                for difference in differences(opened, latest)
            )
            or "nothing you can see (the practice was saved unchanged)"
        )
    return (
        f"{who} saved this practice{f' on {when}' if when else ''}, after you opened it, and "
        f"changed {changed}. "
        "Your changes are not saved, so nothing of theirs is lost: copy what you need from "
        "this form, open the practice again and make your change on its current version."
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the columns of a CSV export. Tags by name or slug.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ADMIN_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {ADMIN_IMPORT_MAX_BYTES // 2**20} MB: "
                "import it with manage.py on the server."
            )
        return upload


class StipImportForm(ImportForm):
    file = forms.FileField(
        label="STIP Compass file",
        help_text="The EC-OECD STIP Compass export: comma-separated, or the official "
        "pipe-separated download with its second header row.",
    )
    theme = forms.RegexField(
        regex=r"^TH\d{1,4}$",
        initial=CLUSTER_POLICIES,
        max_length=6,
        help_text=f"The STIP theme of the initiatives to keep; {CLUSTER_POLICIES} is cluster "
        "policies.",
        error_messages={"invalid": "A STIP theme code, e.g. TH47."},
    )


@dataclass(frozen=True)
class Intake:
    """A file the admin previews (a dry run), then imports once a curator confirms."""

    slug: str
    title: str
    form: type[ImportForm]
    run: Callable[..., ImportReport]  # run(content, dry_run=..., **the form's options)
    outcome: str  # what the confirmed import does, said beside the preview
    command: str


INTAKES = {
    intake.slug: intake
    for intake in [
        Intake(
            "csv",
            "Import practices from CSV",
            ImportForm,
            import_practices,
            "Imported practices are published.",
            "import_practices",
        ),
        Intake(
            "stip",
            "Import from the STIP Compass",
            StipImportForm,
            import_stip,
            "Imported practices are drafts with proposed tags: nothing appears on the public "
            "site until a curator publishes it. Fields a curator changed since the last import "
            "are kept (the conflicts below).",
            "import_stip",
        ),
    ]
}


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


class CountryFilter(admin.SimpleListFilter):
    """The countries that have practices, by name (not the 250 of the standard)."""

    title = "country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Practice.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, Country(code).name) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
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
        *(spec.path for spec in FACETS if not spec.long),
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
    readonly_fields = ["created_at", "updated_at", "origin", "differences_from_source"]
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
                    spec.path
                    for spec in FACETS
                    if spec.kind in (TAGS, CHOICE) and spec.path not in WHERE_IT_APPLIES
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
            {"fields": ["origin", "source_id", "tags_proposed", "differences_from_source"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
        ("This change", {"fields": ["change_reason"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("challenges", "support_types")

    def view_on_site(self, practice):
        """The staff preview, which shows drafts too, as the public page will."""
        return reverse("practices:preview", args=[practice.slug])

    @admin.display(description="last updated", ordering="updated_at")
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, with the tags it carried (not today's), ready to be restored as a
        new version: fields and tags alike."""
        request.practice_version = get_object_or_404(
            Practice.history.model, id=object_id, history_id=version_id
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
        versions = Practice.history.filter(id=practice.pk)
        try:
            older = versions.get(history_id=int(request.GET.get("from", "")))
            newer = versions.get(history_id=int(request.GET.get("to", "")))
        except (ValueError, Practice.history.model.DoesNotExist):
            self.message_user(request, "Choose two versions of this practice.", messages.ERROR)
            return redirect("admin:practices_practice_history", practice.pk)
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

    @admin.action(description="Publish the selected practices", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        description="Unpublish the selected practices (keep them as drafts)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    @admin.action(description="Export the selected practices as CSV (drafts included)")
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(
            csv_chunks(queryset.order_by("title", "pk"), url_prefix=practice_url_prefix(request)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"practices_selected_{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                {"intake": "csv"},
                name="practices_practice_import",
            ),
            path(
                "import-stip/",
                self.admin_site.admin_view(self.import_view),
                {"intake": "stip"},
                name="practices_practice_import_stip",
            ),
            path(
                "<int:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="practices_practice_compare",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, intake):
        """Upload a file, preview what it would change, then confirm: the same all-or-nothing
        import as the management command; nothing is written before the confirmation."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        intake = INTAKES[intake]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": intake.title,
            "intake": intake,
            "max_megabytes": ADMIN_IMPORT_MAX_BYTES // 2**20,
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request, intake)
        form = intake.form(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
            upload = form.cleaned_data["file"]
            content = upload.read()
            report = intake.run(content, dry_run=True, **options)
            context.update(report=report, filename=upload.name)
            if report.ok:
                context["token"] = pending_imports.keep(
                    content,
                    intake=intake.slug,
                    name=upload.name,
                    user=request.user,
                    options=options,
                    revisions=report.revisions,
                )
        return TemplateResponse(request, "admin/practices/practice/import.html", context)

    def _confirm_import(self, request, intake):
        taken = pending_imports.take(
            request.POST.get("token", ""), intake=intake.slug, user=request.user
        )
        start_again = redirect(request.path)
        if taken is None:
            self.message_user(
                request,
                "That preview has expired or was already confirmed: upload the file again.",
                messages.ERROR,
            )
            return start_again
        pending, content = taken
        # Checked again, and refused if a practice it changes was saved since the preview.
        report = intake.run(
            content,
            source_name=pending.name,
            revisions_seen=pending.revisions,
            **pending.options,
        )
        if not report.ok:
            for problem in report.problems[:20]:
                self.message_user(request, str(problem), messages.ERROR)
            self.message_user(request, f"{pending.name}: {report.summary()}", messages.ERROR)
            return start_again
        self._log_import(request, report, pending.name)
        self.message_user(request, f"Imported {pending.name}: {report.summary()}", messages.SUCCESS)
        changelist = reverse("admin:practices_practice_changelist")
        if intake.slug == "stip":
            changelist += "?is_published__exact=0&origin__exact=stip"
        return redirect(changelist)

    def _log_import(self, request, report, filename):
        content_type = ContentType.objects.get_for_model(Practice)
        practices = Practice.objects.filter(slug__in=[*report.created, *report.updated])
        created = set(report.created)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(practice.pk),
                object_repr=str(practice)[:200],
                action_flag=ADDITION if practice.slug in created else CHANGE,
                change_message=f"Imported from {filename}.",
            )
            for practice in practices
        )

    def _set_published(self, request, queryset, published):
        changed = list(
            queryset.exclude(is_published=published).prefetch_related("challenges", "support_types")
        )
        if published:
            refused = [(practice, problems_of(practice)) for practice in changed]
            refused = [(practice, problems) for practice, problems in refused if problems]
            for practice, problems in refused:
                self.message_user(
                    request,
                    f"Not published: {practice.title}: {'; '.join(problems)}.",
                    messages.WARNING,
                )
            changed = [practice for practice in changed if practice not in dict(refused)]
        state = "published" if published else "unpublished"
        for practice in changed:
            practice.is_published = published
            hold_version(practice, f"{state.capitalize()} from the list")
            practice.save(update_fields=["is_published"])
            self.log_change(request, practice, [{"changed": {"fields": ["Published"]}}])
        count = len(changed)
        self.message_user(
            request,
            f"{count} practice {state}." if count == 1 else f"{count} practices {state}.",
            messages.SUCCESS,
        )


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "practice_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(practice_total=Count("practices", distinct=True))
        )

    @admin.display(description="practices", ordering="practice_total")
    def practice_count(self, taxonomy):
        return taxonomy.practice_total

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a value that practices still carry: deleting it would silently
        remove it from every one of them. Curators re-tag those practices first."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        taxonomy_ids = [taxonomy.pk for taxonomy in objs]
        relation = self.model._meta.get_field("practices").field.name
        in_use = Practice.objects.filter(**{f"{relation}__in": taxonomy_ids}).distinct()
        protected = [
            *protected,
            *(f"Practice: {practice} (still tagged with it)" for practice in in_use),
        ]
        return deleted, counts, perms_needed, protected


for taxonomy in [TerritorialValidity, ThematicPriority, StrategicChallenge, SupportType, Pillar]:
    admin.site.register(taxonomy, TaxonomyAdmin)


@admin.register(InstrumentType, BudgetRange, TargetGroup)
class StipTaxonomyAdmin(TaxonomyAdmin):
    """The taxonomies taken from the STIP Compass codebook: their code is what an import reads."""

    list_display = ["name", "code", "slug", "position", "practice_count"]
    search_fields = ["name", "slug", "code"]


@admin.register(Recommendation)
class RecommendationAdmin(TaxonomyAdmin):
    list_display = ["number", "name", "pillar", "slug"]
    list_editable = []
    list_filter = ["pillar"]
    list_select_related = ["pillar"]


@admin.register(Typology)
class TypologyAdmin(TaxonomyAdmin):
    list_display = ["number", "name", "slug"]
    list_editable = []


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "typology"]
    list_filter = ["typology"]
    list_select_related = ["typology"]
    search_fields = ["code", "name"]
