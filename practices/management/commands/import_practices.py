import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.intake.csv.importer import import_practices


class Command(BaseCommand):
    help = (
        "Create or update practices by slug from a CSV file in the export format. "
        "All or nothing: any bad row refuses the whole file and lists every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file (UTF-8), as written by the export")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        try:
            with file.open("rb") as source:
                report = import_practices(source, dry_run=dry_run, progress=self._progress_bar())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        if self._on_terminal():
            self.stderr.write("")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(report.summary())
        if verbosity >= 2:
            for label, slugs in [
                ("create" if dry_run else "created", report.created),
                ("update" if dry_run else "updated", report.updated),
                ("unchanged", report.unchanged),
            ]:
                for slug in slugs:
                    self.stdout.write(f"{label}: {slug}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _on_terminal(self):
        return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

    def _progress_bar(self):
        if not self._on_terminal():
            return None

        def show(done, total, width=30):
            if done == total or done % 200 == 0:
                filled = width * done // max(total, 1)
                bar = "#" * filled + "-" * (width - filled)
                sys.stderr.write(f"\r[{bar}] {done}/{total} rows")
                sys.stderr.flush()

        return show
