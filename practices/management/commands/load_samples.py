from django.core.management.base import BaseCommand

from practices.sampledata.samples import load_missing


class Command(BaseCommand):
    help = (
        "Add the reference data and the sample practices of fixtures/ where they are missing; "
        "never changes a row that exists (make run calls it on every start)."
    )

    def handle(self, *args, **options):
        report = load_missing()
        for line in report.lines():
            self.stdout.write(line)
