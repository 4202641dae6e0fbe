"""The numbers the explore pages show, each from the one search path (``search``): a count
next to a link is the count of the search the link opens.

A page runs the search of every published practice once (``everything``) and hands it to the
functions here that read its facets."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import QueryDict
from django_countries import countries

from explore import world_map
from factsheets.models import CountryFactsheet
from opendata.freshness import last_change
from practices.models import Practice, Recommendation, Region, Typology
from practices.search.selector import search

# The facets a visitor starts from on the home page, in this order.
ENTRY_FACETS = ("challenge", "priority", "support", "typology")
# ... and where: a group of countries, narrowed by theme next (its links open the filters).
PLACE_FACETS = ("country_group",)


@dataclass(frozen=True)
class Entry:
    label: str
    count: int
    query: str  # the search it opens


def searched(query: str):
    """The result of a search, as the list page would get it (every published practice)."""
    result = search(QueryDict(query), page=None)
    if result.errors:
        raise ValueError(f"{query!r}: {result.errors}")
    return result


def everything():
    """The search of every published practice, whose facets most of these numbers are."""
    return searched("")


def entry_points(everything, params=ENTRY_FACETS) -> list[tuple[str, list[Entry]]]:
    """(facet label, its options with counts and searches) of the facets ``params``, for the
    home page's ways in."""
    facets = {facet.param: facet for facet in everything.facets}
    groups = []
    for param in params:
        facet = facets[param]
        groups.append(
            (
                facet.label,
                [Entry(option.name, option.count, option.toggle_query) for option in facet.options],
            )
        )
    return groups


def totals(everything) -> dict:
    """How many published practices, from how many countries, and when the published data
    last changed (the data page's "Last changed", the same moment)."""
    countries = [option for option in _facet(everything, "country").options if option.count]
    return {
        "practices": everything.count,
        "countries": len(countries),
        "last_update": last_change(),
    }


def recently_updated(count: int = 5):
    result = search(QueryDict("sort=-updated"), page=1, page_size=count)
    return list(result.page)


def _facet(result, param):
    return next(facet for facet in result.facets if facet.param == param)


@dataclass(frozen=True)
class Cell:
    count: int
    query: str  # the search it opens


@dataclass
class CrossTable:
    """Counts of practices for each pair of values of two facets: ``rows`` x ``columns``."""

    caption: str
    row_label: str
    columns: list  # (slug, name)
    rows: list  # (name, query of the row alone, its count, [Cell for each column])


def cross_table(
    everything, caption, row_param, column_param, *, rows=None, columns=None
) -> CrossTable:
    """For each value of ``row_param`` (or the ``rows`` given as slugs), the practices
    carrying each value of ``column_param`` too: the search of every practice with the row's
    value chosen as well, whose facet counts are the cells (a multi-valued facet's count is
    the count of choosing it as well). On the facet index that is bit operations, no query."""
    row_facet, column_facet = _facet(everything, row_param), _facet(everything, column_param)
    column_options = {option.slug: option for option in column_facet.options}
    wanted_columns = columns if columns is not None else list(column_options)
    columns = [
        (slug, column_options[slug].name if slug in column_options else slug)
        for slug in wanted_columns
    ]
    table = CrossTable(caption, row_facet.label, columns, [])
    row_options = {option.slug: option for option in row_facet.options}
    wanted = rows if rows is not None else list(row_options)
    for slug in wanted:
        row_query = QueryDict(mutable=True)
        row_query[row_param] = slug
        option = row_options.get(slug)
        within = everything.choosing(option) if option is not None else None
        counts = within.counts[column_param] if within is not None else {}
        cells = []
        for column_slug, _ in columns:
            query = row_query.copy()
            query.appendlist(column_param, column_slug)
            column = column_options.get(column_slug)
            count = counts.get(column.key, 0) if column is not None else 0
            cells.append(Cell(count, query.urlencode()))
        name = option.name if option is not None else slug
        total = within.count if within is not None else 0
        table.rows.append((name, row_query.urlencode(), total, cells))
    return table


@dataclass(frozen=True)
class ReviewCoverage:
    """How many published practices a person has reviewed (every taxonomy decided): in
    those an empty taxonomy means "does not apply", in the others "not yet decided"."""

    published: int
    reviewed: int

    @property
    def unreviewed(self) -> int:
        return self.published - self.reviewed


def review_coverage(country: str | None = None) -> ReviewCoverage:
    """The ``ReviewCoverage`` of every published practice, or of one country's."""
    practices = Practice.objects.published()
    if country:
        practices = practices.filter(country=country)
    counts = practices.aggregate(published=Count("pk"), reviewed=Count("reviewed_at"))
    return ReviewCoverage(**counts)


def busiest_countries(everything, count: int = 8) -> list[str]:
    """The countries with the most published practices, most first."""
    options = _facet(everything, "country").options
    return [option.slug for option in sorted(options, key=lambda o: (-o.count, o.name))[:count]]


def recommendations_by_pillar(everything):
    """(pillar, [Entry of each recommendation]) in the expert group's order."""
    counts = {option.slug: option for option in _facet(everything, "recommendation").options}
    pillars = {}
    for recommendation in Recommendation.objects.select_related("pillar"):
        option = counts[recommendation.slug]
        pillars.setdefault(recommendation.pillar.name, []).append(
            Entry(option.name, option.count, option.toggle_query)
        )
    return list(pillars.items())


@dataclass(frozen=True)
class TypologyGroup:
    typology: object  # practices.models.Typology
    practices: Entry  # how many published practices, and the search of them
    regions: list  # (Region, Entry of its practices) of the regions we know in the group


def typology_groups() -> tuple[list[TypologyGroup], list]:
    """The Panorama's groups, each with its practices (the count of its search) and the
    regions we know in it, each with its published practices; then the (Region, Entry) of
    the regions whose group no source we cite states."""
    counts = {option.slug: option for option in _facet(everything(), "typology").options}
    regions = (
        Region.objects.select_related("typology")
        .annotate(published=Count("practices", filter=Q(practices__is_published=True)))
        .order_by("code")
    )
    by_typology = {}
    for region in regions:
        entry = Entry(f"{region.code} {region.name}", region.published, "")
        by_typology.setdefault(region.typology_id, []).append((region, entry))
    groups = []
    for typology in Typology.objects.all():
        option = counts[typology.slug]
        groups.append(
            TypologyGroup(
                typology,
                Entry(typology.name, option.count, option.toggle_query),
                by_typology.get(typology.pk, []),
            )
        )
    return groups, by_typology.get(None, [])


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    practices: Entry
    has_factsheet: bool


def country_rows(order: str = "name", *, within=None) -> list[CountryRow]:
    """Every country with published practices or a factsheet, by name or by number of
    practices; ``within`` is the search of everything when the page has run it already."""
    with_factsheet = set(CountryFactsheet.objects.values_list("country", flat=True))
    rows = [
        CountryRow(
            option.slug,
            option.name,
            Entry(option.name, option.count, option.toggle_query),
            option.slug in with_factsheet,
        )
        for option in _facet(within or everything(), "country").options
        if option.count
    ]
    with_practices = {row.code for row in rows}
    for code in sorted(with_factsheet - with_practices):  # a factsheet alone makes a page
        name = countries.name(code)
        rows.append(CountryRow(code, name, Entry(name, 0, f"country={code}"), True))
    if order == "-count":
        return sorted(rows, key=lambda row: (-row.practices.count, row.name))
    return sorted(rows, key=lambda row: row.name)


def country_overview(code: str):
    """A country's first ten practices, its count, and its counts per challenge and
    priority, from the search of that country; None when it has no published practice."""
    query = QueryDict(mutable=True)
    query["country"] = code
    result = search(query, page=1, page_size=10)
    if result.errors or not result.count:
        return None
    facets = {facet.param: facet for facet in result.facets}
    by_theme = [
        (
            facets[param].label,
            [
                Entry(option.name, option.count, option.toggle_query)
                for option in facets[param].options
            ],
        )
        for param in ("challenge", "priority")
    ]
    return {
        "query": query.urlencode(),
        "count": result.count,
        "practices": list(result.page),
        "by_theme": by_theme,
        "result": result,  # its facets draw the country's charts
    }


@dataclass(frozen=True)
class MapCountry:
    shape: object  # explore.world_map.Shape
    row: CountryRow | None  # None: no published practice
    shade: int  # 0 for none, else 1 (fewest) to len(SHADES)
    marker: bool  # too small to find or hit without a circle over it
    shown_larger: bool  # linked on a larger map of the page: not a second stop for the keyboard


@dataclass(frozen=True)
class CountryMap:
    slug: str
    title: str
    width: int
    height: int
    countries: list  # MapCountry
    legend: list  # (shade, "3–4")
    outline: str = ""  # the frame's edge, drawn (Europe's box of longitudes and latitudes)


SHADES = 5


def shade_ranges(counts) -> list[tuple[int, int]]:
    """Up to ``SHADES`` ranges of counts (low, high), from the fewest practices to the most,
    each holding about as many countries."""
    values = sorted(count for count in counts if count)
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= SHADES:
        return [(value, value) for value in distinct]
    uppers = sorted(
        {
            values[min(len(values) - 1, len(values) * step // SHADES)]
            for step in range(1, SHADES + 1)
        }
    )
    ranges, low = [], values[0]
    for high in uppers:
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    return ranges


def country_maps(rows) -> list[CountryMap]:
    """Europe, then the world, each country shaded by its number of published practices
    (``rows``, from ``country_rows``) and linked to its page."""
    by_code = {row.code: row for row in rows}
    ranges = shade_ranges(row.practices.count for row in rows)
    legend = [
        (index, f"{low}" if low == high else f"{low}–{high}")
        for index, (low, high) in enumerate(ranges, 1)
    ]

    def shade(row):
        if row is None or not row.practices.count:
            return 0
        return next(
            index for index, (_, high) in enumerate(ranges, 1) if row.practices.count <= high
        )

    maps, linked = [], set()
    for frame, title in (
        (world_map.europe(), "Europe"),
        (world_map.world(), "The world"),
    ):
        drawn = []
        for shape in frame.shapes:
            row = by_code.get(shape.code)
            drawn.append(
                MapCountry(
                    shape,
                    row,
                    shade(row),
                    marker=row is not None and frame.is_small(shape) and shape.code not in linked,
                    shown_larger=shape.code in linked,
                )
            )
        # Countries with practices come last, by name (the keyboard's order), markers after
        # them so that no neighbour is painted over a small country.
        drawn.sort(
            key=lambda country: (country.row is not None, country.marker, country.shape.name)
        )
        linked |= {country.shape.code for country in drawn if country.row}
        maps.append(
            CountryMap(frame.slug, title, frame.width, frame.height, drawn, legend, frame.outline)
        )
    return maps
