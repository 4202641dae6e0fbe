"""The text of practices imported from the STIP Compass before the import cleaned it, cleaned
once (``clean.py``'s functions, as the import now applies them): each practice that changes is
saved as one new version whose reason says so, and nothing else of it changes. Migration 0014
did it once where it ran; the ``clean_stip_text`` command does it again, for records restored
or loaded from an older copy. Running it twice changes nothing the second time."""

from django.db import transaction

from practices.intake.stip.clean import CLEANERS, cleaned_fields
from practices.models import Practice
from practices.versions import one_version

REASON = "Cleaned STIP text"


def clean_stip_practices(*, dry_run: bool = False) -> dict[str, list[str]]:
    """{slug: the fields cleaned} of each STIP practice whose text cleaning changes, in the
    order of their ids; written unless ``dry_run``, each as one version (``REASON``), keeping
    its date of last update (the words are the same)."""
    found = {}
    with transaction.atomic():
        practices = Practice.objects.filter(origin="stip").order_by("pk")
        if not dry_run:
            practices = practices.select_for_update()
        for practice in practices:
            changes = cleaned_fields({name: getattr(practice, name) for name in CLEANERS})
            if not changes:
                continue
            found[practice.slug] = list(changes)
            if dry_run:
                continue
            with one_version(practice, reason=REASON):
                for name, value in changes.items():
                    setattr(practice, name, value)
                # what the last import wrote, cleaned as the import now writes it: a field no
                # curator changed still reads as unchanged at the next import
                practice.imported = {**practice.imported, **cleaned_fields(practice.imported)}
                practice.save(touch=False)
    return found
