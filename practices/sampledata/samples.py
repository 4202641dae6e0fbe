"""The reference data and sample practices of ``fixtures/``, loaded without ever overwriting a
curator's work.

``loaddata`` writes every object of a fixture, so loading the samples on each ``make run``
put edited practices back to the fixture's text, tags and date. Here:

- taxonomy values (``taxonomies``) are added where missing, so values a release adds arrive
  and values curators renamed stay as they are;
- a file of practices is loaded only when none of its practices is in the database, so a
  practice a curator deleted does not come back either;
- a country factsheet is added only when its country never had one (a factsheet a curator
  deleted leaves a trace in its history, and stays deleted);
- ``reset`` puts back the fields and tags the fixtures list for the sample practices, and
  ``differences`` says first which of them it would overwrite.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction

from factsheets.models import CountryFactsheet
from practices.models import Practice
from practices.versions import hold_version, one_version, record_version

REFERENCE_FIXTURES = ("taxonomies",)
PRACTICE_FIXTURES = ("sample_practices", "stip_practices", "stip_practices_batch2")
FACTSHEET_FIXTURES = ("factsheets",)
# derived from other fields, or the fixture's own dates: never a curator's work
_NOT_COMPARED = {"search_document", "created_at", "updated_at"}


@dataclass
class LoadReport:
    added: dict = field(default_factory=dict)  # fixture -> rows added
    skipped: dict = field(default_factory=dict)  # fixture -> why it was left alone

    def lines(self) -> list[str]:
        lines = [f"{name}: {count} added" for name, count in self.added.items()]
        return lines + [f"{name}: not loaded, {why}" for name, why in self.skipped.items()]


def fixture_path(name: str) -> Path:
    return Path(settings.FIXTURE_DIRS[0]) / f"{name}.json"


def _objects(name):
    """(the fixture's JSON of each object, the object as Django reads it), in file order.
    Deserialising is lazy, so an object may refer to one saved just before it."""
    text = fixture_path(name).read_text(encoding="utf-8")
    return zip(
        json.loads(text),
        serializers.deserialize("json", text, handle_forward_references=False),
        strict=True,
    )


def load_missing() -> LoadReport:
    """Add what is missing of the reference data and sample practices; change nothing that
    exists."""
    report = LoadReport()
    with transaction.atomic():
        for name in REFERENCE_FIXTURES:
            report.added[name] = sum(
                _save(loaded, reason="Loaded from the reference data")
                for _, loaded in _objects(name)
                if loaded.object.pk is None
            )
        for name in PRACTICE_FIXTURES:
            slugs = _practice_slugs(name)
            present = Practice.objects.filter(slug__in=slugs).count()
            if present:
                report.skipped[name] = (
                    f"{present} of its {len(slugs)} practices are in the database already"
                    " (reset_samples puts them back as the fixture has them)"
                )
                continue
            report.added[name] = sum(
                _save(loaded, reason="Loaded from the sample data")
                for _, loaded in _objects(name)
                if loaded.object.pk is None
            )
        for name in FACTSHEET_FIXTURES:
            report.added[name] = _add_new_factsheets(name)
    return report


def _add_new_factsheets(name) -> int:
    """Add the factsheets (with their sources) of countries that never had one."""
    known = set(CountryFactsheet.history.values_list("country", flat=True))
    known |= set(CountryFactsheet.objects.values_list("country", flat=True))
    wanted = [
        entry
        for entry in json.loads(fixture_path(name).read_text(encoding="utf-8"))
        if (entry["fields"].get("country") or entry["fields"]["factsheet"][0]) not in known
    ]
    added = 0
    for loaded in serializers.deserialize("python", wanted, handle_forward_references=False):
        instance = loaded.object
        instance._change_reason = "Loaded from the sample data"
        instance.save()  # not a raw save: its history starts here
        added += isinstance(instance, CountryFactsheet)
    return added


def _practice_slugs(name) -> list[str]:
    return [
        entry["fields"]["slug"]
        for entry in json.loads(fixture_path(name).read_text(encoding="utf-8"))
        if entry["model"] == "practices.practice"
    ]


def _save(loaded, *, reason) -> int:
    """Save one deserialised object; a practice as one version with its tags."""
    instance = loaded.object
    if isinstance(instance, Practice):
        created = instance.pk is None
        hold_version(instance, reason)
        loaded.save()
        record_version(instance, created=created)
    else:
        loaded.save()
    return 1


def differences() -> dict[str, list[str]]:
    """What ``reset`` would overwrite: for each sample practice that exists and differs from
    its fixture, the fields and tags that differ ({slug: ["title", "strategic challenges"]}),
    and [] for each one that is missing and would be added back."""
    found = {}
    for name in PRACTICE_FIXTURES:
        for entry, loaded in _objects(name):
            instance = loaded.object
            if not isinstance(instance, Practice):
                continue
            if instance.pk is None:
                found[instance.slug] = []
                continue
            stored = Practice.objects.get(pk=instance.pk)
            changed = [
                str(Practice._meta.get_field(name).verbose_name)
                for name in entry["fields"]
                if name not in _NOT_COMPARED and _differs(stored, loaded, name)
            ]
            if changed:
                found[instance.slug] = changed
    return found


def _differs(stored, loaded, name) -> bool:
    model_field = Practice._meta.get_field(name)
    if model_field.many_to_many:
        current = set(getattr(stored, name).values_list("pk", flat=True))
        return current != set(loaded.m2m_data.get(name, []))
    return getattr(stored, model_field.attname) != getattr(loaded.object, model_field.attname)


def reset(slugs) -> int:
    """Put the sample practices ``slugs`` back as their fixtures have them (reference data and
    regions loaded where missing), each as one new version. Returns how many were written."""
    slugs = set(slugs)
    written = 0
    with transaction.atomic():
        for name in REFERENCE_FIXTURES:
            for _, loaded in _objects(name):
                if loaded.object.pk is None:
                    _save(loaded, reason="Loaded from the reference data")
        for name in PRACTICE_FIXTURES:
            for entry, loaded in _objects(name):
                instance = loaded.object
                if not isinstance(instance, Practice):
                    if instance.pk is None:
                        loaded.save()
                    continue
                if instance.slug not in slugs:
                    continue
                if instance.pk is None:
                    written += _save(loaded, reason="Reset to the sample data")
                else:
                    written += _overwrite(entry, loaded)
    return written


def _overwrite(entry, loaded) -> int:
    """Put back the fields and tags the fixture lists, and only those: what a curator added
    in other fields (a start year, an organisation) stays. One new version."""
    stored = Practice.objects.get(pk=loaded.object.pk)
    with one_version(stored, reason="Reset to the sample data"):
        for name in entry["fields"]:
            field = Practice._meta.get_field(name)
            if not field.many_to_many:
                setattr(stored, field.attname, getattr(loaded.object, field.attname))
        stored.save(touch=False)  # the fixture's own date comes back with its text
        for name, ids in loaded.m2m_data.items():
            getattr(stored, name).set(ids)
    return 1
