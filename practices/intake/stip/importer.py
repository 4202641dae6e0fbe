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

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from practices import db
from practices.intake.csv.checks import ImportProblem
from practices.intake.csv.importer import ImportReport
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
from practices.versions import one_version

CLUSTER_POLICIES = "TH47"
MAX_FILE_BYTES = 200 * 1024 * 1024
REQUIRED_COLUMNS = ("InitiativeID", "NameEnglish", "CountryCode", "ShortDescription")

# Countries: ISO alpha-3, except the European Union itself and Belgium's governments.
BELGIAN_REGIONS = {"BEVLG", "BEWAL", "BEBRU", "BEWBF"}  # Flanders, Wallonia, Brussels, FWB
SPECIAL_COUNTRIES = {"BEFED": "BE", "EU": "EU", **dict.fromkeys(BELGIAN_REGIONS, "BE")}

# The tags an import proposes, written in this one place. STIP's themes (codebook/themes.csv)
# and instrument types (codebook/policyinstruments.csv) do not use the toolkit's taxonomies;
# these are the ones whose meaning carries over. A curator confirms or corrects each practice.
PROPOSED_CHALLENGES = {
    "innovation": {"TH42", "TH31", "TH32"},  # collaborative R&I, (non-)financial support to it
    "skills": {"TH48", "TH50", "TH51"},  # human resources debates and strategies, STEM skills
    "internationalisation": {"TH36", "TH25", "TH55", "TH63"},  # FDI, international research
}
PROPOSED_PRIORITIES = {
    "digital-transition": {"TH82"},  # digital transformation of firms
    "green-transition": {"TH92"},  # green energy transitions
    "resilience": {"TH97", "TH98"},  # long-term impacts of COVID-19, resilient economies
}
PROPOSED_SUPPORT = {  # by instrument type
    "networking": {"PI021"},  # networking and collaborative platforms
    "business-services": {"PI017", "PI014"},  # technology extension and advice, vouchers
    "intelligence": {"PI031", "PI023"},  # policy intelligence, information services
}
UNKNOWN_BUDGETS = {"", "Unknown", "Don't know"}


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

    def summary(self):
        if self.problems:
            return super().summary()
        counts = (len(self.created), len(self.updated), len(self.unchanged), len(self.conflicts))
        verb = "Dry run: {} to create, {} to update, {} unchanged, {} conflicts; nothing written."
        if not self.dry_run:
            verb = "{} created (drafts), {} updated, {} unchanged, {} conflicts kept as edited."
        return verb.format(*counts)


@dataclass
class Initiative:
    """One initiative of the file: what its practice holds, as the import writes it."""

    row: int  # its first row, numbered as a spreadsheet shows it
    source_id: str
    values: dict  # field name -> value (taxonomies by slug, tags as sorted lists of slugs)


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
    raw = source if isinstance(source, bytes) else source.read(MAX_FILE_BYTES + 1)
    rows = _read_rows(raw, theme, report)
    if report.problems:
        return report
    initiatives = _initiatives(rows, theme, report)
    if report.problems:
        return report
    with transaction.atomic():
        db.for_an_import()
        _write(initiatives, report, revisions_seen, reason=f"Imported from {source_name}")
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report


def _read_rows(raw: bytes, theme: str, report) -> list[tuple[int, dict]]:
    """(row number, cells by column) of every data row of either layout."""
    if len(raw) > MAX_FILE_BYTES:
        report.problems.append(ImportProblem(1, "", "The file is larger than 200 MB."))
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.problems.append(ImportProblem(line, "", "The file is not UTF-8 text."))
        return []
    first_line = text.split("\n", 1)[0]
    delimiter = "|" if first_line.count("|") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        report.problems.append(ImportProblem(0, "", f"The file is not valid CSV: {error}."))
        return []
    if not records:
        report.problems.append(ImportProblem(1, "", "The file is empty: expected a header row."))
        return []
    header = [name.strip() for name in records[0]]
    missing = [name for name in (*REQUIRED_COLUMNS, theme) if name not in header]
    if missing:
        report.problems.append(
            ImportProblem(1, "", f"Not a STIP Compass export: no column {', '.join(missing)}.")
        )
        return []
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
        described = not cells.get("InitiativeID", "").startswith("http")
        if index == 2 and described and cells.get(theme) not in ("", "0", "1"):
            continue  # the official layout's second header row: descriptions of the columns
        if len(record) != len(header):
            report.problems.append(
                ImportProblem(
                    index, "", f"The row has {len(record)} cells; the header has {len(header)}."
                )
            )
            continue
        rows.append((index, cells))
    return rows


def _initiatives(rows, theme, report) -> list[Initiative]:
    """One ``Initiative`` per InitiativeID flagged with ``theme``, its instruments merged."""
    budgets = {budget.name: budget.slug for budget in BudgetRange.objects.all()}
    instruments = dict(InstrumentType.objects.values_list("code", "slug"))
    target_groups = dict(TargetGroup.objects.values_list("code", "slug"))
    by_id: dict[str, Initiative] = {}
    for number, cells in rows:
        if cells[theme] not in ("", "0", "1"):
            report.problems.append(
                ImportProblem(number, theme, f"{cells[theme][:20]!r} is not a theme flag (0 or 1).")
            )
            continue
        if cells[theme] != "1":
            continue  # another theme's initiative: not ours to check
        problems = _check_row(number, cells, budgets)
        if problems:
            report.problems.extend(problems)
            continue
        initiative = by_id.get(cells["InitiativeID"])
        if initiative is None:
            initiative = by_id[cells["InitiativeID"]] = Initiative(
                number, cells["InitiativeID"], _values(cells, budgets)
            )
        values = initiative.values
        code = cells.get("InstrumentTypeCode", "")
        if code in instruments and instruments[code] not in values["instrument_types"]:
            values["instrument_types"] = sorted({*values["instrument_types"], instruments[code]})
        values["support_types"] = sorted(
            {*values["support_types"], *_proposed(PROPOSED_SUPPORT, {code})}
        )
        groups = {slug for code, slug in target_groups.items() if cells.get(code) == "1"}
        values["target_groups"] = sorted({*values["target_groups"], *groups})
    return list(by_id.values())


def _check_row(number, cells, budgets) -> list[ImportProblem]:
    problems = []

    def problem(column, message):
        problems.append(ImportProblem(number, column, message))

    if not cells["InitiativeID"].startswith(("http://", "https://")):
        problem("InitiativeID", f"{cells['InitiativeID'][:80]!r} is not a STIP initiative URI.")
    if not cells["NameEnglish"]:
        problem("NameEnglish", "Missing: every initiative needs a name.")
    if _country(cells["CountryCode"]) is None:
        problem("CountryCode", f"{cells['CountryCode'][:20]!r} is not a STIP country code.")
    years = {}
    for column in ("StartDateYear", "EndDateYear"):
        value = cells.get(column, "")
        years[column] = _year(value)
        if value and years[column] is None:
            problem(column, f"{value[:20]!r} is not a year.")
    start, end = years["StartDateYear"], years["EndDateYear"]
    if start and end and end < start:
        problem("EndDateYear", f"The initiative ends ({end}) before it starts ({start}).")
    budget = cells.get("YearlyBudgetRange", "")
    if budget not in UNKNOWN_BUDGETS and budget not in budgets:
        problem("YearlyBudgetRange", f"Unknown budget range {budget[:40]!r}.")
    if cells.get("HasBeenEvaluated", "") not in ("", "0", "1"):
        problem("HasBeenEvaluated", f"{cells['HasBeenEvaluated'][:20]!r} is not 0 or 1.")
    return problems


def _year(text) -> int | None:
    """A year from 1900 to 2100, written as 2015 or, as some exports do, 2015.0."""
    whole, _, fraction = text.partition(".")
    if (
        whole.isascii()
        and whole.isdigit()
        and set(fraction) <= {"0"}
        and 1900 <= int(whole) <= 2100
    ):
        return int(whole)
    return None


def _country(code):
    """(ISO alpha-2 code, territorial validity slug) of a STIP country code, else None."""
    if code in SPECIAL_COUNTRIES:
        return SPECIAL_COUNTRIES[code], "regional" if code in BELGIAN_REGIONS else "national"
    alpha2 = countries.alpha2(code) if len(code) == 3 else ""
    return (alpha2, "national") if alpha2 else None


def _values(cells, budgets) -> dict:
    country, validity = _country(cells["CountryCode"])
    themes = {column for column, flag in cells.items() if column.startswith("TH") and flag == "1"}
    objectives = [cells.get(f"Objectives{n}", "") for n in range(1, 7)]
    description = "\n\n".join(
        part
        for part in [
            cells["ShortDescription"],
            "Objectives: " + " ".join(o for o in objectives if o) if any(objectives) else "",
        ]
        if part
    )
    budget = cells.get("YearlyBudgetRange", "")
    evaluated = cells.get("HasBeenEvaluated", "")
    return {
        "title": cells["NameEnglish"][:300],
        "original_title": cells.get("NameOriginalLanguage", "")[:500],
        "description": description or cells["NameEnglish"],
        "country": country,
        "territorial_validity": validity,
        "start_year": _year(cells.get("StartDateYear", "")),
        "end_year": _year(cells.get("EndDateYear", "")),
        "organisation": cells.get("NameResponsibleOrganisation", "")[:300],
        "budget_range": budgets.get(budget),
        "evaluated": {"1": True, "0": False}.get(evaluated),
        "evaluation_links": "\n".join(_links(cells, "LinksEvaluations")),
        "link": next(iter(_links(cells, "InternetLinks")), ""),
        "instrument_types": [],
        "target_groups": [],
        "challenges": sorted(_proposed(PROPOSED_CHALLENGES, themes)),
        "priorities": sorted(_proposed(PROPOSED_PRIORITIES, themes)),
        "support_types": [],
    }


def _links(cells, prefix) -> list[str]:
    """The links of ``prefix``1..9 that are web addresses, in order."""
    links = (cells.get(f"{prefix}{number}", "") for number in range(1, 10))
    return [link for link in links if link.startswith(("http://", "https://")) and len(link) <= 500]


def _proposed(mapping, codes) -> set[str]:
    return {slug for slug, wanted in mapping.items() if wanted & set(codes)}


# Fields held in a foreign key or a many-to-many relation, and their taxonomy.
_FOREIGN_KEYS = {"territorial_validity": TerritorialValidity, "budget_range": BudgetRange}
_TAG_FIELDS = {
    "instrument_types": InstrumentType,
    "target_groups": TargetGroup,
    "challenges": StrategicChallenge,
    "priorities": ThematicPriority,
    "support_types": SupportType,
}


def _current(practice, name):
    """A practice's value of an imported field, in the form ``Initiative.values`` uses."""
    if name in _TAG_FIELDS:
        return sorted(getattr(practice, name).values_list("slug", flat=True))
    if name in _FOREIGN_KEYS:
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
        if (current := _current(practice, name)) != imported
    ]


def _write(initiatives, report, revisions_seen, *, reason):
    existing = {
        practice.source_id: practice
        for practice in Practice.objects.select_for_update().filter(
            source_id__in=[i.source_id for i in initiatives]
        )
    }
    for initiative in initiatives:
        practice = existing.get(initiative.source_id)
        revision = practice.revision if practice is not None else None
        report.revisions[initiative.source_id] = revision
        if revisions_seen is not None and revisions_seen.get(initiative.source_id) != revision:
            report.problems.append(
                ImportProblem(
                    initiative.row,
                    "InitiativeID",
                    f"{initiative.source_id} was created or saved by someone else after the "
                    "preview: preview the file again to see what it would change now.",
                )
            )
    if report.problems:
        return
    taxonomies = {
        name: {value.slug: value for value in model.objects.all()}
        for name, model in {**_FOREIGN_KEYS, **_TAG_FIELDS}.items()
    }
    taken = set(Practice.objects.values_list("slug", flat=True))
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
        else:
            changes = _changes(practice, initiative, report)
            if not changes:
                if practice.imported != initiative.values:
                    # only fields a curator keeps changed: remember what the source says now,
                    # without a version or a new date for the practice
                    Practice.objects.filter(pk=practice.pk).update(imported=initiative.values)
                report.unchanged.append(practice.slug)
                continue
            report.updated.append(practice.slug)
            report.changes[practice.slug] = [
                (name, _text(_current(practice, name)), _text(value))
                for name, value in changes.items()
            ]
        with one_version(practice, reason=reason):
            for name, value in changes.items():
                if name in _FOREIGN_KEYS:
                    setattr(practice, name, taxonomies[name].get(value))
                elif name not in _TAG_FIELDS:
                    setattr(practice, name, value)
            practice.imported = initiative.values
            practice.save()
            for name, value in changes.items():
                if name in _TAG_FIELDS:
                    getattr(practice, name).set([taxonomies[name][slug] for slug in value])


def _text(value) -> str:
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


def _changes(practice, initiative, report) -> dict:
    """The fields to write on an existing practice: those the source changed and no curator
    did. A field both changed is kept as the curator left it, and reported."""
    changes = {}
    for name, new in initiative.values.items():
        current = _current(practice, name)
        if current == new:
            continue
        if name in practice.imported and current == practice.imported[name]:
            changes[name] = new
        else:
            report.conflicts.append((practice.slug, name, current, new))
    return changes


def _free_slug(initiative, taken) -> str:
    number = initiative.source_id.rstrip("/").rsplit("/", 1)[-1]
    base = slugify(initiative.values["title"])[:150] or "stip"
    slug = f"{base}-stip-{number}" if number.isdigit() else base
    candidate, suffix = slug, 2
    while candidate in taken:
        candidate, suffix = f"{slug}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate
