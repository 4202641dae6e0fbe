"""Importing practices in the admin: upload a file, preview what it would change (a dry run),
then confirm. The same all-or-nothing imports as the management commands; nothing is written
before the confirmation, and a practice saved since the preview makes the import refused."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from practices.intake import pending as pending_imports
from practices.intake.csv.importer import ImportReport, import_practices
from practices.intake.stip.importer import CLUSTER_POLICIES, import_stip
from practices.models import Practice

ADMIN_IMPORT_MAX_BYTES = 10 * 2**20  # larger files: manage.py import_practices


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
