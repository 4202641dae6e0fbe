"""What every import answers: what it created, updated and left unchanged, or the problems
that refused it, each with its row and column; and the check a confirmed import makes that
nobody saved a practice it writes since its preview."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    # what each updated practice changes: {slug: [(field or tags, old, new), ...]}
    changes: dict = field(default_factory=dict)
    # the revision of each practice the import read (by slug, or source id for STIP): a
    # confirmation refuses to write over a practice saved since its preview
    revisions: dict = field(default_factory=dict)
    # the title each practice of the file has (or will have), by slug: what a preview lists
    titles: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems

    @property
    def conflicting(self) -> list[str]:
        """The practices with a field kept as a curator left it against the file (an import
        that keeps none has none)."""
        return []

    def conflicts_of(self, slug) -> list[tuple[str, object, object]]:
        """(field, the curator's value, the file's value) of each conflict of a practice."""
        return []

    def groups(self) -> dict[str, list[str]]:
        """Each practice of the file in exactly one group, so that the counts add up to the
        practices of the file: "conflicts" (a field kept against the file; other fields may
        be updated), else "new", "changed" or "unchanged"."""
        conflicting = set(self.conflicting)
        return {
            "conflicts": list(self.conflicting),
            "new": list(self.created),
            "changed": [slug for slug in self.updated if slug not in conflicting],
            "unchanged": [slug for slug in self.unchanged if slug not in conflicting],
        }

    def summary(self):
        if self.problems:
            count = len(self.problems)
            found = "1 problem" if count == 1 else f"{count} problems"
            return f"Refused: {found} found; nothing was changed."
        counts = (len(self.created), len(self.updated), len(self.unchanged))
        if self.dry_run:
            return "Dry run: {} to create, {} to update, {} unchanged; nothing written.".format(
                *counts
            )
        return "{} created, {} updated, {} unchanged.".format(*counts)


def refuse_changed_since(report: ImportReport, found, revisions_seen: dict) -> None:
    """Refuse the import (a problem a practice) if a practice it would write was created or
    saved since its preview: ``found`` gives (row, column, key, practice or None) for each
    row, ``revisions_seen`` the preview's ``revisions`` by the same keys."""
    for row, column, key, practice in found:
        revision = practice.revision if practice is not None else None
        if revision != revisions_seen.get(key):
            report.problems.append(
                ImportProblem(
                    row,
                    column,
                    f"{key!r} was created or saved by someone else after the preview: "
                    "preview the file again to see what it would change now.",
                )
            )
