"""A country's practices in charts (its dashboard), and countries side by side (a comparison).

Every number is a facet count of one search (``practices.search.selector.search``): the
country's (``country=DK``) or every published practice's, and each bar's query string is the
search that option toggles on, so a bar's number is the count of the page it opens. A
dashboard costs two searches (the country's and everything's), a comparison one per country."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext

from explore.charts import Measure, Series, bar_chart, column_chart, shared_scale
from explore.overview import ReviewCoverage, searched
from factsheets.models import CountryFactsheet
from practices.models import Practice

FEWEST, MOST = 2, 5  # countries a comparison puts side by side


@dataclass(frozen=True)
class FacetChart:
    param: str
    title: str
    # Long lists (28 instrument types) show only the values some country shown has.
    only_present: bool = False


FACET_CHARTS = (
    FacetChart("challenge", "Strategic challenges"),
    FacetChart("priority", "Thematic priorities"),
    FacetChart("support", "Types of cluster support"),
    FacetChart("recommendation", "Expert-group recommendations"),
    FacetChart("instrument", "Types of instrument", only_present=True),
    FacetChart("budget", "Yearly budget"),
)
MULTI_VALUED = {"challenge", "priority", "support", "recommendation", "instrument"}
ALL_COUNTRIES = Series("All countries", "All", "series-all")
COUNTRY_COLOURS = ("series-1", "series-2", "series-3", "series-4", "series-5")


@dataclass(frozen=True)
class Side:
    """One series of a chart and the search whose facets it reads."""

    series: Series
    result: object  # practices.search.selector.SearchResult
    is_reference: bool = False  # all countries: drawn, but never decides which values show


def _facet(result, param):
    return next(facet for facet in result.facets if facet.param == param)


def _facet_chart(spec: FacetChart, sides, chart_slug: str, description: str, *, scale=None):
    options = {side.series.short: {o.slug: o for o in _facet(side.result, spec.param).options}
               for side in sides}  # fmt: skip
    names = {}
    for side in sides:
        for option in _facet(side.result, spec.param).options:
            names.setdefault(option.slug, option.name)
    if spec.only_present:
        present = {
            slug
            for side in sides
            if not side.is_reference
            for slug, option in options[side.series.short].items()
            if option.count
        }
        names = {slug: name for slug, name in names.items() if slug in present}
    rows = []
    for slug, name in names.items():
        measures = []
        for side in sides:
            option = options[side.series.short].get(slug)
            count = option.count if option else 0
            query = option.toggle_query if option else _with(side.result.params, spec.param, slug)
            measures.append(Measure(side.series, count, side.result.count, query))
        rows.append((name, measures))
    series = [side.series for side in sides]
    return bar_chart(chart_slug, spec.title, description, series, rows, scale=scale)


def _with(params: QueryDict, param: str, value) -> str:
    query = params.copy()
    query.appendlist(param, str(value))
    return query.urlencode()


def _shares_note(spec: FacetChart) -> str:
    if spec.param in MULTI_VALUED:
        return " A practice may carry several values, so the shares may add up to more than 100%."
    return (
        " A practice with no value reported counts in none, so the shares may add up to less "
        "than 100%."
    )


def years_of(result) -> dict[int, object]:
    """The year facet's options of a search (year -> option), up to this year: the search
    counts a practice with no end year as active in every year from its start."""
    this_year = timezone.now().year
    return {
        int(option.slug): option
        for option in _facet(result, "year").options
        if int(option.slug) <= this_year
    }


def years_description(name: str, years) -> str:
    this_year = timezone.now().year
    span = f" from {min(years)} to {max(years)}" if years else ""
    return (
        f"How many practices of {name} were active in each year{span}: a practice counts in "
        f"every year from its start year to its end year, and one with no end year reported "
        f"counts as active in every year up to {this_year}. Practices with no start year "
        f"reported are not counted."
    )


@dataclass
class Dashboard:
    charts: list  # BarChart: the country's shares against all countries'
    years: object  # ColumnChart, or None when no practice reports a start year
    count: int
    total: int  # published practices in all countries


def country_dashboard(code: str, name: str, country_result, everything) -> Dashboard:
    """The charts of a country's page: ``country_result`` is the search of its practices
    (``country=DK``), ``everything`` the search of every published practice."""
    country = Series(name, code, COUNTRY_COLOURS[0])
    sides = [Side(country, country_result), Side(ALL_COUNTRIES, everything, is_reference=True)]
    charts = [
        _facet_chart(
            spec,
            sides,
            f"chart-{spec.param}",
            f"The share of the {country_result.count} practices of {name} with each value, "
            f"against the share of all {everything.count} published practices."
            + _shares_note(spec),
        )
        for spec in FACET_CHARTS
    ]
    years = years_of(country_result)
    year_chart = None
    if years:
        year_chart = column_chart(
            "chart-years",
            "Practices active in each year",
            years_description(name, years),
            country,
            [
                (year, Measure(country, option.count, country_result.count, option.toggle_query))
                for year, option in sorted(years.items())
            ],
        )
    return Dashboard(charts, year_chart, country_result.count, everything.count)


# A comparison


@dataclass(frozen=True)
class ComparedCountry:
    code: str
    name: str
    series: Series
    result: object  # the search of its practices
    factsheet: object  # CountryFactsheet or None

    @property
    def query(self) -> str:
        return self.result.params.urlencode()


@dataclass(frozen=True)
class FactRow:
    """One field of the factsheets, a cell for each country. ``kind`` says how a cell reads:
    "practices" (a count and its search), "text", "lines" (several paragraphs), "list",
    "sources"."""

    label: str
    kind: str
    cells: list
    # beside each cell, how old its facts are ("Facts as of 2021 (…)"): a factsheet's section
    # is dated by the sources that support it, as on a country's page
    as_of: list = field(default_factory=list)

    @property
    def cells_dated(self):
        return zip(self.cells, self.as_of or [""] * len(self.cells), strict=True)


@dataclass
class Comparison:
    countries: list  # ComparedCountry
    facts: list  # FactRow
    charts: list  # BarChart, each country a series, on one scale within a chart
    years: list  # ColumnChart per country, all on one scale
    years_note: str
    coverage: ReviewCoverage  # of the countries' practices together

    @property
    def names(self) -> str:
        """ "Denmark, Finland and Sweden": the countries' names as a sentence says them."""
        return get_text_list([country.name for country in self.countries], gettext("and"))


def chosen_countries(values, known: dict[str, str]) -> tuple[list[str], list[str]]:
    """The country codes a comparison was asked for (``?country=DK&country=FI``), in the
    order given and without repeats, and the problems with them as sentences: a code no
    country with practices or a factsheet has, fewer than two or more than five."""
    codes = list(dict.fromkeys(value.strip().upper() for value in values if value.strip()))
    problems = []
    unknown = [code for code in codes if code not in known]
    if unknown:
        listed = ", ".join(f"“{code[:10]}”" for code in unknown[:5])
        problems.append(
            gettext(
                "No country with practices or a factsheet has the code %(codes)s: choose among "
                "the countries below."
            )
            % {"codes": listed}
        )
    chosen = [code for code in codes if code in known]
    if len(chosen) < FEWEST:
        if chosen:
            problem = gettext(
                "Choose at least %(fewest)d countries to compare (%(chosen)d chosen)."
            )
        else:
            problem = gettext("Choose at least %(fewest)d countries to compare.")
        problems.append(problem % {"fewest": FEWEST, "chosen": len(chosen)})
    elif len(chosen) > MOST:
        problem = gettext("Choose at most %(most)d countries to compare (%(chosen)d chosen).")
        problems.append(problem % {"most": MOST, "chosen": len(chosen)})
    return chosen, problems


def comparison(codes: list[str], names: dict[str, str]) -> Comparison:
    """Countries side by side: their factsheets field by field, their practices' shares on
    the same scale in each chart, and the years they were active."""
    factsheets = {
        sheet.country.code: sheet
        for sheet in CountryFactsheet.objects.filter(country__in=codes).prefetch_related("sources")
    }
    countries = []
    for index, code in enumerate(codes):
        query = QueryDict(mutable=True)
        query["country"] = code
        countries.append(
            ComparedCountry(
                code,
                names[code],
                Series(names[code], code, COUNTRY_COLOURS[index]),
                searched(query.urlencode()),
                factsheets.get(code),
            )
        )
    sides = [Side(country.series, country.result) for country in countries]
    listed = ", ".join(country.name for country in countries)
    charts = [
        _facet_chart(
            spec,
            sides,
            f"compare-{spec.param}",
            f"The share of each country's practices with each value ({listed}), on one "
            f"scale." + _shares_note(spec),
        )
        for spec in FACET_CHARTS
    ]
    years, note = _compared_years(countries)
    coverage = Practice.objects.published().filter(country__in=codes)
    reviewed = coverage.aggregate(published=Count("pk"), reviewed=Count("reviewed_at"))
    return Comparison(
        countries, _fact_rows(countries), charts, years, note, ReviewCoverage(**reviewed)
    )


def _compared_years(countries):
    """A column chart per country over the same years, heights as shares on one scale."""
    by_country = {country.code: years_of(country.result) for country in countries}
    every_year = sorted({year for years in by_country.values() for year in years})
    if not every_year:
        return [], ""
    span = range(every_year[0], every_year[-1] + 1)
    measures = {}
    for country in countries:
        options = by_country[country.code]
        measures[country.code] = [
            (
                year,
                Measure(
                    country.series,
                    options[year].count if year in options else 0,
                    country.result.count,
                    options[year].toggle_query
                    if year in options
                    else _with(country.result.params, "year", year),
                ),
            )
            for year in span
        ]
    top = shared_scale([[measure for _, measure in pairs] for pairs in measures.values()])
    charts = [
        column_chart(
            f"compare-years-{country.code.lower()}",
            f"{country.name}: practices active in each year",
            f"The share of the {country.result.count} practices of {country.name} active in "
            f"each year from {span.start} to {span.stop - 1}, on the same scale as the other "
            f"countries.",
            country.series,
            measures[country.code],
            by_share=True,
            top=top,
        )
        for country in countries
    ]
    this_year = timezone.now().year
    note = (
        "A practice counts in every year from its start year to its end year; one with no end "
        f"year reported counts as active in every year up to {this_year}. Practices with no "
        "start year reported are not counted."
    )
    return charts, note


def _fact_rows(countries) -> list[FactRow]:
    sheets = [country.factsheet for country in countries]

    datings = [sheet.dating if sheet else None for sheet in sheets]

    def fact(label, kind, read, section=None):
        cells = [read(sheet) if sheet else None for sheet in sheets]
        as_of = [
            dating[section].as_of if dating and cell and section else ""
            for dating, cell in zip(datings, cells, strict=True)
        ]
        return FactRow(label, kind, cells, as_of)

    return [
        FactRow("Published practices", "practices", countries),
        fact("Level of the policy", "text", lambda s: s.get_policy_level_display(), "level"),
        fact("Policy objectives", "lines", lambda s: s.objectives, "objectives"),
        fact("Policy instruments", "text", lambda s: s.get_instruments_display(), "instruments"),
        fact("Programmes", "list", lambda s: s.programme_list, "programmes"),
        fact(
            "Budget",
            "text",
            lambda s: " · ".join(filter(None, [s.budget, s.budget_note])),
            "budget",
        ),
        fact("Results", "lines", lambda s: s.results, "results"),
        fact("Sources", "sources", lambda s: list(s.sources.all())),
    ]
