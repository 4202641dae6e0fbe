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

from django.core.exceptions import ObjectDoesNotExist

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


# Kept by every version, but not something a person changes or needs to read in a comparison.
_NOT_COMPARED = {"id", "revision", "updated_at", "created_at", "is_synthetic"}


def differences(older, newer) -> list[Difference]:
    """What changed from one version to another, fields then tags, in words: a tag relation
    reads as the names removed and added."""
    found = []
    for field in Practice._meta.concrete_fields:
        if field.name in _NOT_COMPARED or not _kept(field):
            continue
        old, new = _shown(older, field), _shown(newer, field)
        if old != new:
            found.append(Difference(str(field.verbose_name), old, new))
    older_tags, newer_tags = tags_of(older), tags_of(newer)
    for relation in older._history_m2m_fields:
        old_ids, new_ids = set(older_tags[relation.name]), set(newer_tags[relation.name])
        if old_ids == new_ids:
            continue
        names = dict(
            relation.related_model.objects.filter(pk__in=old_ids | new_ids).values_list(
                "pk", "name"
            )
        )
        found.append(
            Difference(
                str(relation.verbose_name),
                _names(names, old_ids),
                _names(names, new_ids),
            )
        )
    return found


def _kept(field) -> bool:
    return field.name not in PRACTICE_HISTORY.excluded_fields


def _shown(version, field) -> str:
    if field.many_to_one:
        key = getattr(version, field.attname)
        if key is None:
            return ""
        try:
            return str(getattr(version, field.name))
        except ObjectDoesNotExist:  # deleted since: the version still names it by id
            return f"#{key}"
    value = getattr(version, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _names(names, ids) -> str:
    return "; ".join(sorted(names.get(pk, f"#{pk}") for pk in ids)) or "(none)"
