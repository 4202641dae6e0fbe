from django.core.management.base import BaseCommand

from practices.intake.stip.cleanup import REASON, clean_stip_practices


class Command(BaseCommand):
    help = (
        "Clean the text of the practices imported from the STIP Compass as the import now "
        "does (lists split, empty acronyms dropped, quotes and spaces tidied). Each practice "
        f'changed is one new version, "{REASON}"; running it again changes nothing.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would change; write nothing."
        )

    def handle(self, *args, dry_run, **options):
        found = clean_stip_practices(dry_run=dry_run)
        for slug, fields in found.items():
            self.stdout.write(f"{slug}: {', '.join(fields)}")
        count = f"{len(found)} practice" + ("" if len(found) == 1 else "s")
        if dry_run:
            self.stdout.write(f"Dry run: {count} to clean; nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Cleaned {count}, each as a new version."))
