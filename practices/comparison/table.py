"""The comparison itself: 2 to 4 published practices, row by row."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format

from practices.comparison.choice import (
    FEWEST,
    MOST,
    chosen_slugs,
    compare_href,
    quoted,
    search_href,
)
from practices.models import Practice
from practices.search.facets.registry import FACETS


@dataclass(frozen=True)
class Value:
    """One value in a cell: its name, the address it links to (a facet value's search, an
    external page) and whether every compared practice holds it."""

    name: str
    href: str = ""
    external: bool = False
    shared: bool = False

    @property
    def key(self) -> str:
        return self.href or self.name


@dataclass(frozen=True)
class Cell:
    values: tuple[Value, ...] = ()
    empty: str = ""  # what the cell says without values: "Does not apply", "Not given"
    text: str = ""  # what it says before its values, or instead of them: a period, a summary

    @property
    def key(self) -> tuple:
        return (self.text, *(value.key for value in self.values), self.empty * (not self.values))


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    compared: bool = True  # False: a row whose values always differ (a summary)

    @property
    def differs(self) -> bool:
        return self.compared and len({cell.key for cell in self.cells}) > 1


@dataclass
class Comparison:
    """What /compare/practices/ shows: the practices and their rows, or why it cannot."""

    practices: list[Practice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    status: int = 200
    # (label, address) of each way on from a refused comparison
    ways_on: list[tuple[str, str]] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[Practice, str]]:
        """(practice, the address of the comparison without it) of each column: the search
        page, still carrying the others, once fewer than ``FEWEST`` would be left."""
        slugs = [practice.slug for practice in self.practices]
        columns = []
        for practice in self.practices:
            rest = [slug for slug in slugs if slug != practice.slug]
            columns.append(
                (practice, compare_href(rest) if len(rest) >= FEWEST else search_href(rest))
            )
        return columns

    @property
    def search_href(self) -> str:
        """The search page carrying this choice, to change it."""
        return search_href([practice.slug for practice in self.practices])

    @property
    def full(self) -> bool:
        return len(self.practices) >= MOST


def compare(data) -> Comparison:
    """The comparison ``data`` (a request's GET) asks for: 2 to ``MOST`` published practices,
    each once, in the address's order (a fixed number of queries, whatever their number).
    Otherwise the problems, status 400 (404 for a practice that is not published) and the
    addresses to go on from."""
    slugs = chosen_slugs(data)
    distinct = list(dict.fromkeys(slugs))
    if len(distinct) > MOST:
        return Comparison(
            problems=[
                f"You chose {len(distinct)} practices: at most {MOST} can be compared at once."
            ],
            status=400,
            ways_on=[
                (f"Compare the first {MOST}", compare_href(distinct[:MOST])),
                ("Choose which to compare on the search page", search_href(distinct[:MOST])),
            ],
        )
    problems = [
        f"{quoted(slug)} is chosen {slugs.count(slug)} times: each practice is compared once."
        for slug in distinct
        if slugs.count(slug) > 1
    ]
    practices = Practice.objects.published().with_tags().filter(slug__in=distinct)
    found = {practice.slug: practice for practice in practices} if distinct else {}
    missing = [slug for slug in distinct if slug not in found]
    problems += [
        f"{quoted(slug)} is not a published practice (its address may have changed)."
        for slug in missing
    ]
    kept = [slug for slug in distinct if slug in found]
    if len(kept) < FEWEST:
        problems.append(
            f"Choose at least {FEWEST} practices to compare, with “Add to comparison” on the "
            "search page or on a practice's page."
        )
    if problems:
        ways_on = []
        if len(kept) >= FEWEST:
            ways_on.append((f"Compare the {len(kept)} practices, each once", compare_href(kept)))
        ways_on.append(
            (
                "Choose practices on the search page"
                if not kept
                else "Choose more on the search page",
                search_href(kept),
            )
        )
        return Comparison(problems=problems, status=404 if missing else 400, ways_on=ways_on)
    chosen = [found[slug] for slug in kept]
    return Comparison(practices=chosen, rows=rows_of(chosen))


# The facets laid out in rows of their own, in this order, with the labels a practice's page
# gives them; any other facet of the registry follows them (``_other_facets``).
LAID_OUT = {
    "country": "Country",
    "country_group": "Country groups",
    "territorial_validity": "Territorial validity",
    "budget": "Yearly budget (EUR)",
    "instrument": "Type of instrument",
    "target_group": "Target groups",
    "challenge": "Strategic challenges",
    "priority": "Thematic priorities",
    "support": "Type of cluster support",
    "recommendation": "Expert-group recommendations",
    "typology": "Region typology",
    "evaluated": "Evaluated",
}
# The taxonomies curators decide: empty, they read "does not apply" or "not yet decided".
DECIDED = frozenset(["challenge", "priority", "support", "recommendation"])
NOT_LAID_OUT_HERE = frozenset(["year"])  # the period row says it
SPECS = {spec.param: spec for spec in FACETS}
SOURCES = {
    "curator": "Entered by the toolkit's curators",
    "suggestion": "Suggested to the toolkit, published by its curators",
}


def rows_of(practices: list[Practice]) -> list[Row]:
    """Each row of the comparison of ``practices`` (fetched ``with_tags``)."""
    rows = [
        _facet_row("country", practices),
        _facet_row("country_group", practices),
        _facet_row("territorial_validity", practices),
        Row("Years", tuple(Cell(text=period(practice)) for practice in practices)),
        Row(
            "Responsible organisation",
            tuple(
                Cell(
                    tuple(Value(name) for name in practice.organisation_list),
                    empty="Not given",
                )
                for practice in practices
            ),
        ),
        _facet_row("budget", practices),
        _facet_row("instrument", practices),
        _facet_row("target_group", practices),
        _facet_row("challenge", practices),
        _facet_row("priority", practices),
        _facet_row("support", practices),
        _facet_row("recommendation", practices),
        Row(
            "Taxonomies",
            tuple(Cell(text=_reviewed(practice)) for practice in practices),
        ),
        Row(
            "Region",
            tuple(
                Cell(
                    (Value(f"{practice.region.name} ({practice.region.code})"),)
                    if practice.region
                    else (),
                    empty="Not specific to one region",
                )
                for practice in practices
            ),
        ),
        _facet_row("typology", practices),
        _facet_row("evaluated", practices),
        *(_facet_row(param, practices) for param in _other_facets()),
        Row(
            "Summary",
            tuple(Cell(text=practice.summary) for practice in practices),
            compared=False,
        ),
        Row("Source", tuple(_source(practice) for practice in practices), compared=False),
    ]
    return [_marked_shared(row) for row in rows]


def period(practice: Practice) -> str:
    """ "2015–2021", "2019 – no end year reported": what the practice's page says of it."""
    if practice.start_year is None and practice.end_year is None:
        return "Not given"
    if practice.start_year is None:
        end = practice.end_year
        return f"Unknown start – {end}"
    return practice.years


def _other_facets() -> list[str]:
    return [
        spec.param
        for spec in FACETS
        if spec.param not in LAID_OUT and spec.param not in NOT_LAID_OUT_HERE
    ]


def _facet_row(param: str, practices: list[Practice]) -> Row:
    spec = SPECS[param]
    search = reverse("practices:list")
    cells = []
    for practice in practices:
        values = tuple(
            Value(name, f"{search}?{urlencode({param: slug})}")
            for slug, name in spec.kind.values_of(spec, practice)
        )
        cells.append(Cell(values, empty=_empty_reads(param, practice)))
    return Row(LAID_OUT.get(param, spec.label), tuple(cells))


def _empty_reads(param: str, practice: Practice) -> str:
    if param in DECIDED:
        return practice.empty_taxonomy_means
    if param == "typology":
        return "No region, so no typology"
    if param == "evaluated":
        return "Unknown"
    return "None given" if SPECS[param].multi_valued else "Not given"


def _reviewed(practice: Practice) -> str:
    if not practice.is_reviewed:
        return "Not yet reviewed: an empty one is not yet decided"
    on = date_format(practice.reviewed_at, "j F Y")
    return f"Reviewed on {on}: an empty one does not apply"


def _source(practice: Practice) -> Cell:
    if practice.origin == "stip":
        survey = f", {practice.survey_year} survey" if practice.survey_year else ""
        text = f"EC-OECD STIP Compass{survey}"
    else:
        text = SOURCES.get(practice.origin, "")
    further = (Value("Further information", practice.link, external=True),) if practice.link else ()
    return Cell(further, text=text)


def _marked_shared(row: Row) -> Row:
    """``row`` with each value every practice holds marked as shared (rows of a value or more
    in each cell; never a lone practice's)."""
    keys = [{value.key for value in cell.values} for cell in row.cells]
    if not row.compared or len(keys) < FEWEST or not all(keys):
        return row
    shared = set.intersection(*keys)
    cells = tuple(
        Cell(
            tuple(
                Value(value.name, value.href, value.external, value.key in shared)
                for value in cell.values
            ),
            cell.empty,
            cell.text,
        )
        for cell in row.cells
    )
    return Row(row.label, cells, row.compared)
