"""manage.py tagging train | evaluate | suggest SLUG [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from curation.tagging import service
from curation.tagging.documents import published_documents
from curation.tagging.evaluation import evaluate, table
from practices.models import Practice


class Command(BaseCommand):
    help = (
        "Tag suggestions: train the suggester on the published practices, evaluate it by "
        "cross-validation against the mapping and a constant baseline, or print one "
        "practice's suggestions."
    )

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        verbs.add_parser("train", help="Learn from the published practices and save the model.")
        verbs.add_parser("evaluate", help="Cross-validate over the published practices.")
        suggest = verbs.add_parser("suggest", help="Print one practice's suggestions.")
        suggest.add_argument("slug")
        suggest.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, verb, **options):
        if verb == "train":
            suggester = service.train()
            learned = len(suggester.state["slugs"])
            self.stdout.write(f"Trained on {learned} published practices and saved.")
        elif verb == "evaluate":
            documents = published_documents()
            if len(documents) < 10:
                raise CommandError("Evaluating needs at least 10 published practices.")
            self.stdout.write(table(evaluate(documents)))
        else:
            self._suggest(options["slug"], as_json=options["json"])

    def _suggest(self, slug, *, as_json):
        practice = Practice.objects.filter(slug=slug).first()
        if practice is None:
            raise CommandError(f"No practice has the slug {slug!r}.")
        suggester = service.current()
        suggestions = service.suggestions_for(practice, suggester)
        answer = {
            param: [suggested.as_dict() for suggested in values]
            for param, values in suggestions.items()
        }
        if as_json:
            self.stdout.write(json.dumps(answer, indent=2))
            return
        if suggester is None:
            self.stdout.write("No trained model: the STIP mapping's proposals alone.")
        for param, values in answer.items():
            shown = ", ".join(
                f"{v['value']} ({v['confidence']:.0%}: {v['reason']})" for v in values
            )
            self.stdout.write(f"{param}: {shown or '-'}")
