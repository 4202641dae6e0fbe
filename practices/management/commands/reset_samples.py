from django.core.management.base import BaseCommand

from practices.sampledata import factsheet_samples
from practices.sampledata.samples import differences, reset


class Command(BaseCommand):
    help = (
        "Put the sample practices and factsheets back as fixtures/ has them. Lists first what "
        "it would overwrite; writes only with --yes, each as a new version of its history."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs",
            nargs="*",
            help="Only these sample practices, or factsheets as factsheet-dk (default: all).",
        )
        parser.add_argument("--yes", action="store_true", help="Overwrite them.")

    def handle(self, *args, slugs, yes, **options):
        found = differences() | factsheet_samples.differences()
        if slugs:
            found = {slug: changed for slug, changed in found.items() if slug in slugs}
        if not found:
            self.stdout.write("Every sample practice is as its fixture has it: nothing to reset.")
            return
        for slug, changed in found.items():
            what = ", ".join(changed) if changed else "missing: would be added back"
            self.stdout.write(f"{slug}: {what}")
        sheets = {slug for slug in found if slug.startswith("factsheet-")}
        if not yes:
            self.stdout.write(
                f"Differing from the sample data: {practices(len(found) - len(sheets))}"
                f"{f' and {len(sheets)} factsheets' if sheets else ''}. Nothing was changed; "
                "run again with --yes to overwrite (their history keeps every version)."
            )
            return
        written = reset(set(found) - sheets)
        written_sheets = factsheet_samples.reset(sheets)
        also = f" and {written_sheets} factsheet{'s' * (written_sheets != 1)}" if sheets else ""
        self.stdout.write(
            self.style.SUCCESS(f"Reset {practices(written)}{also} to the sample data.")
        )


def practices(count: int) -> str:
    return f"{count} practice" if count == 1 else f"{count} practices"
