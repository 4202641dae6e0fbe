"""Import of cluster-policy initiatives from the EC-OECD STIP Compass survey export.

Source: EC-OECD (2021), STIP Compass: International Database on Science, Technology and
Innovation Policy, https://stip.oecd.org (data reused with credit, as the OECD asks).

The file has one row per initiative and policy instrument; it becomes one practice per
``InitiativeID``, kept as the practice's ``source_id``. Two layouts are read: the comma-
separated file with one header row (``../shared/data/stip/``) and the official download,
pipe-separated, with a byte-order mark and a second header row of column descriptions.
Columns this module does not use are ignored, so later surveys import too.

Every imported practice is a draft, and its tags are *proposed* (``tags_proposed``) until a
curator confirms them. A re-import updates by source id; a field a curator changed since the
last import is kept and reported as a conflict (``Practice.imported`` holds what the last
import wrote). As the CSV import: all or nothing, every problem with its row and column.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from practices import db
from practices.intake.files import content_of
from practices.intake.report import ImportReport, refuse_changed_since
from practices.intake.slugs import free_slug
from practices.intake.stip.codebook import CLUSTER_POLICIES
from practices.intake.stip.merge import (
    FOREIGN_KEYS,
    TAG_FIELDS,
    Wording,
    changes_to_write,
    current_value,
    differences_from_import,
    label_of,
)
from practices.intake.stip.reader import initiatives_of, read_rows
from practices.models import Practice
from practices.versions import one_version

__all__ = ["CLUSTER_POLICIES", "StipReport", "differences_from_import", "import_stip"]


@dataclass
class StipReport(ImportReport):
    """The CSV import's report, with the fields kept as curators left them and the tags
    proposed."""

    # (slug, field, the curator's value, the source's value)
    conflicts: list[tuple[str, str, object, object]] = field(default_factory=list)
    proposed_tags: Counter = field(default_factory=Counter)  # tag slug -> practices

    @property
    def proposed_tag_counts(self) -> list[tuple[str, int]]:
        """(tag slug, practices) of each tag proposed, the most frequent first."""
        return sorted(self.proposed_tags.items(), key=lambda tag: (-tag[1], tag[0]))

    @property
    def conflicting(self) -> list[str]:
        return list(dict.fromkeys(slug for slug, *_ in self.conflicts))

    def conflicts_of(self, slug) -> list[tuple[str, object, object]]:
        return [(name, kept, offered) for key, name, kept, offered in self.conflicts if key == slug]

    def summary(self):
        """What the import does, each practice of the file counted once (``groups``)."""
        if self.problems:
            return super().summary()
        groups = self.groups()
        counts = [len(groups[name]) for name in ("new", "changed", "unchanged", "conflicts")]
        fields = len(self.conflicts)
        conflicts = f"{fields} conflicting field{'s' if fields != 1 else ''}"
        if self.dry_run:
            text = "Dry run: {} to create, {} to update, {} unchanged, {} with conflicts"
            return text.format(*counts) + f" ({conflicts} kept as edited); nothing written."
        text = "{} created (drafts), {} updated, {} unchanged, {} with conflicts"
        return text.format(*counts) + f" ({conflicts} kept as edited)."


def import_stip(
    source,
    *,
    dry_run: bool = False,
    theme: str = CLUSTER_POLICIES,
    source_name: str = "a STIP Compass file",
    revisions_seen: dict | None = None,
) -> StipReport:
    """Create or update draft practices from a STIP Compass export (bytes or a binary file),
    keeping the initiatives flagged with ``theme``. Nothing is written when any row has a
    problem, or when ``dry_run`` is set. Each practice written is one version whose reason
    names ``source_name``. With ``revisions_seen`` (a dry run's ``revisions``) the whole file
    is refused if a practice it would write was created or saved since."""
    report = StipReport(dry_run=dry_run)
    rows = read_rows(content_of(source), theme, report)
    if report.problems:
        return report
    initiatives = initiatives_of(rows, theme, report)
    if report.problems:
        return report
    reason = f"Imported from {source_name}"
    if dry_run:  # as the CSV import's: reads, compares, writes nothing, locks nothing
        _merge(initiatives, report, revisions_seen, reason=reason, dry_run=True)
        return report
    with transaction.atomic():
        db.for_an_import()
        _merge(initiatives, report, revisions_seen, reason=reason, dry_run=False)
        if report.problems:
            transaction.set_rollback(True)
    return report


def _merge(initiatives, report, revisions_seen, *, reason, dry_run):
    """Report what the initiatives change of their practices and, unless ``dry_run``, write
    it (the practices locked until the import ends)."""
    practices = (
        Practice.objects.filter(source_id__in=[i.source_id for i in initiatives])
        .select_related(*FOREIGN_KEYS)
        .prefetch_related(*TAG_FIELDS)  # what each comparison reads, in one query a relation
    )
    if not dry_run:
        practices = practices.select_for_update(of=("self",))
    existing = {practice.source_id: practice for practice in practices}
    for initiative in initiatives:
        practice = existing.get(initiative.source_id)
        report.revisions[initiative.source_id] = practice.revision if practice else None
    if revisions_seen is not None:
        found = [
            (
                initiative.row,
                "InitiativeID",
                initiative.source_id,
                existing.get(initiative.source_id),
            )
            for initiative in initiatives
        ]
        refuse_changed_since(report, found, revisions_seen)
    if report.problems:
        return
    taxonomies = {
        name: {value.slug: value for value in model.objects.all()}
        for name, model in {**FOREIGN_KEYS, **TAG_FIELDS}.items()
    }
    taken = set(Practice.objects.values_list("slug", flat=True))
    words = Wording()
    for initiative in initiatives:
        for name in ("challenges", "priorities", "support_types"):
            report.proposed_tags.update(initiative.values[name])
        practice = existing.get(initiative.source_id)
        if practice is None:
            practice = Practice(
                slug=_free_slug(initiative, taken),
                source_id=initiative.source_id,
                origin="stip",
                is_published=False,
                tags_proposed=True,
            )
            changes = dict(initiative.values)
            report.created.append(practice.slug)
            report.titles[practice.slug] = initiative.values["title"]
        else:
            report.titles[practice.slug] = practice.title
            changes = changes_to_write(practice, initiative, report)
            if not changes:
                if practice.imported != initiative.values and not dry_run:
                    # only fields a curator keeps changed: remember what the source says now,
                    # without a version or a new date for the practice
                    Practice.objects.filter(pk=practice.pk).update(imported=initiative.values)
                report.unchanged.append(practice.slug)
                continue
            report.updated.append(practice.slug)
            report.changes[practice.slug] = [
                (label_of(name), words(name, current_value(practice, name)), words(name, value))
                for name, value in changes.items()
            ]
        if dry_run:
            continue
        with one_version(practice, reason=reason):
            for name, value in changes.items():
                if name in FOREIGN_KEYS:
                    setattr(practice, name, taxonomies[name].get(value))
                elif name not in TAG_FIELDS:
                    setattr(practice, name, value)
            practice.imported = initiative.values
            practice.save()
            for name, value in changes.items():
                if name in TAG_FIELDS:
                    getattr(practice, name).set([taxonomies[name][slug] for slug in value])


def _free_slug(initiative, taken) -> str:
    number = initiative.source_id.rstrip("/").rsplit("/", 1)[-1]
    suffix = f"-stip-{number}" if number.isdigit() else ""
    return free_slug(initiative.values["title"], fallback="stip", suffix=suffix, taken=taken)
