"""The three-way merge of a re-import: the source's value is written where the practice still
holds what the last import wrote; where a curator changed it, the curator's value is kept
and reported as a conflict."""

from practices.models import (
    BudgetRange,
    InstrumentType,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
)

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


def as_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


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
