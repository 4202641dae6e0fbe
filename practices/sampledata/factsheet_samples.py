"""The sample factsheets put back as ``fixtures/factsheets.json`` has them (``reset_samples``):
``load_samples`` only adds the factsheets of countries that never had one, so a revised
factsheet reaches an existing database here, as one new version, its sources made the
fixture's (a source the fixture no longer lists is deleted; its history keeps it)."""

import json

from django.core import serializers
from django.db import transaction

from factsheets.models import CountryFactsheet, Source
from practices.sampledata.samples import fixture_path

FIXTURE = "factsheets"
REASON = "Reset to the sample data"
_NOT_COMPARED = {"updated_at"}  # our record's date: a reset writes a new one


def key(country: str) -> str:
    """How reset_samples names a factsheet: "factsheet-dk"."""
    return f"factsheet-{country.lower()}"


def _fixture():
    """{country: (its fields, [its sources' fields])}, in file order."""
    sheets = {}
    for entry in json.loads(fixture_path(FIXTURE).read_text(encoding="utf-8")):
        fields = entry["fields"]
        if entry["model"] == "factsheets.countryfactsheet":
            sheets[fields["country"]] = (fields, [])
        else:
            sheets[fields["factsheet"][0]][1].append(fields)
    return sheets


def _as_object(model, fields):
    data = {name: value for name, value in fields.items() if name != "factsheet"}
    if model == "factsheets.source":  # plain values; its natural key needs a factsheet
        return Source(**data)
    return next(serializers.deserialize("python", [{"model": model, "fields": data}])).object


def differences() -> dict[str, list[str]]:
    """{"factsheet-dk": ["policy objectives", "sources"]} for each sample factsheet that differs
    from its fixture; [] for one that is missing and would be added back."""
    found = {}
    for country, (fields, sources) in _fixture().items():
        stored = CountryFactsheet.objects.filter(country=country).first()
        if stored is None:
            found[key(country)] = []
            continue
        wanted = _as_object("factsheets.countryfactsheet", fields)
        changed = [
            str(CountryFactsheet._meta.get_field(name).verbose_name)
            for name in fields
            if name not in _NOT_COMPARED
            and getattr(stored, CountryFactsheet._meta.get_field(name).attname)
            != getattr(wanted, CountryFactsheet._meta.get_field(name).attname)
        ]
        if _source_rows(stored.sources.all()) != _source_rows(
            _as_object("factsheets.source", source) for source in sources
        ):
            changed.append("sources")
        if changed:
            found[key(country)] = changed
    return found


def _source_rows(sources):
    names = ["title", "url", "year", *(f"supports_{section}" for section in _sections())]
    return sorted(tuple(getattr(source, name) for name in names) for source in sources)


def _sections():
    return ("level", "objectives", "instruments", "programmes", "budget", "results")


def reset(keys) -> int:
    """Put the sample factsheets named by ``keys`` back as the fixture has them; returns how
    many were written."""
    keys = set(keys)
    written = 0
    with transaction.atomic():
        for country, (fields, sources) in _fixture().items():
            if key(country) not in keys:
                continue
            wanted = _as_object("factsheets.countryfactsheet", fields)
            factsheet = CountryFactsheet.objects.filter(country=country).first() or wanted
            for name in fields:
                attname = CountryFactsheet._meta.get_field(name).attname
                setattr(factsheet, attname, getattr(wanted, attname))
            factsheet._change_reason = REASON
            factsheet.save()
            titles = [source["title"] for source in sources]
            for gone in factsheet.sources.exclude(title__in=titles):
                gone._change_reason = REASON
                gone.delete()
            for source_fields in sources:
                wanted_source = _as_object("factsheets.source", source_fields)
                source = Source.objects.filter(
                    factsheet=factsheet, title=wanted_source.title
                ).first() or Source(factsheet=factsheet)
                for name in source_fields:
                    if name != "factsheet":
                        setattr(source, name, getattr(wanted_source, name))
                source._change_reason = REASON
                source.save()
            written += 1
    return written
