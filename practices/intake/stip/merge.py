"""The three-way merge of a re-import: the source's value is written where the practice still
holds what the last import wrote; where a curator changed it, the curator's value is kept
and reported as a conflict."""

from django.utils.text import Truncator, capfirst
from django_countries.fields import Country

from practices.models import (
    BudgetRange,
    InstrumentType,
    Practice,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
)

SHOWN_LENGTH = 100  # characters of a long text (a description) in a sentence about it

# Fields held in a foreign key or a many-to-many relation, and their taxonomy.
FOREIGN_KEYS = {"territorial_validity": TerritorialValidity, "budget_range": BudgetRange}
TAG_FIELDS = {
    "instrument_types": InstrumentType,
    "target_groups": TargetGroup,
    "challenges": StrategicChallenge,
    "priorities": ThematicPriority,
    "support_types": SupportType,
}


def current_value(practice, name):
    """A practice's value of an imported field, in the form ``Initiative.values`` uses."""
    if name in TAG_FIELDS:
        # (prefetched by the import: ``all()`` reads what it fetched)
        return sorted(tag.slug for tag in getattr(practice, name).all())
    if name in FOREIGN_KEYS:
        value = getattr(practice, name)
        return value.slug if value else None
    if name == "country":
        return practice.country.code
    return getattr(practice, name)


def differences_from_import(practice) -> list[tuple[str, object, object]]:
    """(field, the practice's value, the last import's value) of each imported field a
    curator has changed since: what a re-import keeps and reports as a conflict."""
    return [
        (name, current, imported)
        for name, imported in practice.imported.items()
        if (current := current_value(practice, name)) != imported
    ]


def label_of(name) -> str:
    """The field's name as the admin's form writes it, e.g. "strategic challenges"."""
    return str(Practice._meta.get_field(name).verbose_name)


class Wording:
    """Values of the imported fields in words, as a curator reads them: tags and choices by
    their names (not slugs), a country by its name, several organisations joined by "; ",
    nothing as "". The taxonomies' names are read once, when it is made."""

    def __init__(self):
        self.names = {
            name: dict(model.objects.values_list("slug", "name"))
            for name, model in {**FOREIGN_KEYS, **TAG_FIELDS}.items()
        }

    def __call__(self, name, value) -> str:
        if value is None or value == "" or value == []:
            return ""
        if name in TAG_FIELDS:
            return ", ".join(self.names[name].get(slug, slug) for slug in value)
        if name in FOREIGN_KEYS:
            return self.names[name].get(value, value)
        if name == "country":
            return Country(value).name or value
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):  # codes (STIP themes)
            return ", ".join(str(item) for item in value)
        if name in ("organisation", "evaluation_links"):  # one a line
            return "; ".join(str(value).splitlines())
        return str(value)

    def conflict(self, name, kept, offered) -> str:
        """A conflict as a sentence: "Strategic challenges: you have Innovation, Skills; the
        file proposes Innovation" (long texts shortened to their first words)."""

        def said(value):
            return Truncator(self(name, value)).chars(SHOWN_LENGTH) or "nothing"

        return (
            f"{capfirst(label_of(name))}: you have {said(kept)}; the file proposes {said(offered)}"
        )


def changes_to_write(practice, initiative, report) -> dict:
    """The fields to write on an existing practice: those the source changed and no curator
    did. A field both changed is kept as the curator left it, and reported."""
    changes = {}
    for name, new in initiative.values.items():
        current = current_value(practice, name)
        if current == new:
            continue
        if name in practice.imported and current == practice.imported[name]:
            changes[name] = new
        else:
            report.conflicts.append((practice.slug, name, current, new))
    return changes
