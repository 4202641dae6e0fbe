"""Importing practices in the admin: upload a file, preview what it would change (a dry run),
then confirm. The same all-or-nothing imports as the management commands; nothing is written
before the confirmation, and a practice saved since the preview makes the import refused."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst

from practices.intake import pending as pending_imports
from practices.intake.csv.importer import ImportReport, import_practices
from practices.intake.stip.importer import CLUSTER_POLICIES, import_stip
from practices.intake.stip.merge import TAG_FIELDS, Wording, label_of
from practices.models import Practice

ADMIN_IMPORT_MAX_BYTES = 10 * 2**20  # larger files: manage.py import_practices
PREVIEW_PAGE_SIZE = 50  # practices a page of a preview lists
# The groups of a preview (``ImportReport.groups``: each practice in one), in the order the
# summary counts them, with what a count of each says.
PREVIEW_GROUPS = {"new": "new", "changed": "changed", "unchanged": "unchanged",
                  "conflicts": "with conflicts"}  # fmt: skip
# The group a preview opens on: what most needs a curator's eyes first.
FIRST_SHOWN = ("conflicts", "changed", "new", "unchanged")


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
            "are kept (the conflicts).",
            "import_stip",
        ),
    ]
}


class ImportViews:
    """The import pages of the practice admin (a mixin of ``PracticeAdmin``)."""

    def import_urls(self):
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
        if request.method == "GET" and "preview" in request.GET:
            return self._preview_again(request, intake, context)
        form = intake.form(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
            upload = form.cleaned_data["file"]
            content = upload.read()
            report = intake.run(content, dry_run=True, **options)
            context.update(report=report, filename=upload.name)
            if report.ok:
                token = pending_imports.keep(
                    content,
                    intake=intake.slug,
                    name=upload.name,
                    user=request.user,
                    options=options,
                    revisions=report.revisions,
                )
                context.update(preview_of(request, report, token))
        return TemplateResponse(request, "admin/practices/practice/import.html", context)

    def _preview_again(self, request, intake, context):
        """Another page or group of a preview: the upload waiting for its confirmation, read
        again (a dry run: nothing is written), shown as of now."""
        token = request.GET["preview"]
        found = pending_imports.peek(token, intake=intake.slug, user=request.user)
        if found is None:
            self.message_user(
                request,
                "That preview has expired or was already confirmed: upload the file again.",
                messages.ERROR,
            )
            return redirect(request.path)
        pending, content = found
        report = intake.run(content, dry_run=True, **pending.options)
        context.update(report=report, filename=pending.name, form=intake.form())
        if report.ok:
            context.update(preview_of(request, report, token))
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
        """One admin log entry a practice the import created or changed, as the admin's own
        forms write them."""
        created = set(report.created)
        touched = Practice.objects.filter(slug__in=[*report.created, *report.updated])
        for action_flag, practices in [
            (ADDITION, touched.filter(slug__in=created)),
            (CHANGE, touched.exclude(slug__in=created)),
        ]:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=practices,
                action_flag=action_flag,
                change_message=f"Imported from {filename}.",
            )


@dataclass(frozen=True)
class PreviewRow:
    """A practice of a preview's page: what the import does to it, in words."""

    slug: str
    title: str
    admin_url: str  # its change page, for a practice that exists
    conflicts: list[str]  # sentences
    changes: list[tuple[str, str, str]]  # (field, now, after the import)


def preview_of(request, report, token) -> dict:
    """What the preview page shows of a dry run's ``report``: the count of each group of
    practices (each a link that opens its list), and one page of the group asked for
    (``?show=``, ``?page=``); a group or page that does not exist shows the first."""
    groups = report.groups()
    shown = request.GET.get("show")
    if shown not in groups or not groups[shown]:
        shown = next((name for name in FIRST_SHOWN if groups[name]), "new")
    page = Paginator(groups[shown], PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))

    def address(**query):
        return f"{request.path}?{urlencode({'preview': token, **query})}#preview-list"

    counts = [
        {
            "name": name,
            "label": label,
            "count": len(groups[name]),
            "url": address(show=name),
            "current": name == shown,
        }
        for name, label in PREVIEW_GROUPS.items()
    ]
    return {
        "token": token,
        "total": sum(len(slugs) for slugs in groups.values()),
        "counts": counts,
        "shown": PREVIEW_GROUPS[shown],
        "shown_name": shown,
        "page": page,
        "previous_url": address(show=shown, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": address(show=shown, page=page.next_page_number()) if page.has_next() else "",
        "rows": _rows(report, page.object_list),
        "conflicting_fields": len(getattr(report, "conflicts", [])),
        "proposed_tags": _proposed_tags(report),
    }


def _rows(report, slugs) -> list[PreviewRow]:
    words = Wording() if any(report.conflicts_of(slug) for slug in slugs) else None
    existing = dict(Practice.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return [
        PreviewRow(
            slug=slug,
            title=report.titles.get(slug, slug),
            admin_url=reverse("admin:practices_practice_change", args=[existing[slug]])
            if slug in existing
            else "",
            conflicts=[words.conflict(*conflict) for conflict in report.conflicts_of(slug)],
            changes=[
                (capfirst(label), old, new) for label, old, new in report.changes.get(slug, [])
            ],
        )
        for slug in slugs
    ]


def _proposed_tags(report) -> list[tuple[str, str, int]]:
    """(tag's name, its taxonomy, practices) of each tag a STIP import proposes."""
    if not getattr(report, "proposed_tags", None):
        return []
    words = Wording()
    found = []
    for slug, count in report.proposed_tag_counts:
        relation = next((name for name in TAG_FIELDS if slug in words.names[name]), "challenges")
        found.append((words(relation, [slug]), label_of(relation), count))
    return found
