from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.intake.stip.importer import CLUSTER_POLICIES, import_stip


class Command(BaseCommand):
    help = (
        "Create or update draft practices from an EC-OECD STIP Compass export (either layout), "
        "one per initiative of a theme (cluster policies by default). All or nothing; a field "
        "a curator has changed since the last import is kept and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="STIP Compass CSV (comma or pipe layout)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--theme",
            default=CLUSTER_POLICIES,
            help=f"STIP theme code of the initiatives to keep (default {CLUSTER_POLICIES}).",
        )

    def handle(self, *args, file, dry_run, theme, verbosity, **options):
        try:
            with file.open("rb") as source:
                report = import_stip(source, dry_run=dry_run, theme=theme)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(report.summary())
        for slug, name, kept, offered in report.conflicts:
            self.stdout.write(f"conflict: {slug} {name}: kept {kept!r}, source says {offered!r}")
        if verbosity >= 2:
            for label, slugs in [("created", report.created), ("updated", report.updated)]:
                for slug in slugs:
                    self.stdout.write(f"{label}: {slug}")
        proposed = ", ".join(f"{tag} {count}" for tag, count in report.proposed_tag_counts)
        self.stdout.write(f"Proposed tags (practices): {proposed or 'none'}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
