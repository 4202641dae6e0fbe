"""Versions of a practice: one per save, whoever saves it (the admin, an import, a suggestion),
with its fields and tags as they were, who made it and why.

django-simple-history records a version on every write of the row and on every change of each
tag relation, so one save in the admin made up to seven, the first ones holding tags half
saved. Here a save is wrapped (``one_version``) or marked (``hold_version`` then
``record_version``) so that simple-history stays quiet until everything is written, and one
version is recorded then.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from simple_history.models import DeletedObject

from practices.models import PRACTICE_HISTORY, Practice

REASON_LENGTH = Practice.history.model._meta.get_field("history_change_reason").max_length


def hold_version(practice, reason: str):
    """Record no version for the writes that follow until ``record_version``."""
    practice.skip_history_when_saving = True
    practice._change_reason = reason[:REASON_LENGTH]


def record_version(practice, *, created: bool, user=None):
    """Record the practice as it is now, tags included, as one version; the reason is the one
    ``hold_version`` was given."""
    if hasattr(practice, "skip_history_when_saving"):
        del practice.skip_history_when_saving
    if user is not None:
        practice._history_user = user
    PRACTICE_HISTORY.create_historical_record(practice, "+" if created else "~")


@contextmanager
def one_version(practice, *, reason: str, user=None):
    """Record everything written to ``practice`` inside the block as one version, made when the
    block ends; nothing is recorded when it raises."""
    created = practice._state.adding
    hold_version(practice, reason)
    try:
        yield practice
    finally:
        if hasattr(practice, "skip_history_when_saving"):
            del practice.skip_history_when_saving
    record_version(practice, created=created, user=user)


def tags_of(version) -> dict[str, list[int]]:
    """The ids of the tags a version carried, by relation: {"challenges": [1, 3], ...}."""
    tags = {}
    for relation in version._history_m2m_fields:
        target = relation.m2m_reverse_field_name()
        tags[relation.name] = [
            getattr(row, f"{target}_id") for row in getattr(version, relation.name).all()
        ]
    return tags


@dataclass(frozen=True)
class Difference:
    label: str
    old: str
    new: str


def differences(older, newer) -> list[Difference]:
    """What changed from one version to another, in words, in the order of the practice's
    fields then its tag relations (simple-history's ``diff_against`` finds the changes; a tag
    relation reads as the names before and after). Only what a person edits is compared:
    ``diff_against`` leaves out the fields that are not editable (revision, dates, ids)."""
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    found = []
    for change in sorted(delta.changes, key=lambda change: _FIELD_ORDER[change.field]):
        field = Practice._meta.get_field(change.field)
        if field.many_to_many:
            found.append(_tag_difference(field, change))
        elif _kept(field):
            found.append(
                Difference(
                    str(field.verbose_name), _shown(field, change.old), _shown(field, change.new)
                )
            )
    return found


_FIELD_ORDER = {
    field.name: position
    for position, field in enumerate(
        [*Practice._meta.concrete_fields, *Practice._meta.many_to_many]
    )
}


def _tag_difference(relation, change) -> Difference:
    target = relation.m2m_reverse_field_name()
    return Difference(
        str(relation.verbose_name),
        _names(row[target] for row in change.old),
        _names(row[target] for row in change.new),
    )


def _kept(field) -> bool:
    return field.name not in PRACTICE_HISTORY.excluded_fields


def _shown(field, value) -> str:
    if field.many_to_one:
        if isinstance(value, DeletedObject):  # none, or deleted since: named by its id
            return "" if value.pk is None else f"#{value.pk}"
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _names(tags) -> str:
    """The tags' names (a tag deleted since by its id), in alphabetical order."""
    names = (f"#{tag.pk}" if isinstance(tag, DeletedObject) else tag.name for tag in tags)
    return "; ".join(sorted(names)) or "(none)"
