"""Bar charts drawn on the server: plain data a template include turns into an SVG (no script),
with every number also in a table and every bar the link to the search that counts it.

A chart knows nothing of searches: its builder (``explore.dashboard``) hands it, for each
value of a facet, one ``Measure`` per series (a country, or all countries), each a count out
of a total and the query string of the search whose count it is. The geometry (where each
bar goes, how long it is) is worked out here, so the templates only loop.

Horizontal bars (``BarChart``) show shares of each series' practices, so series of different
sizes compare on one scale; columns (``ColumnChart``) show one series over the years."""

import math
import textwrap
from dataclasses import dataclass, field

from django.utils.text import get_text_list
from django.utils.translation import gettext

# The drawing's coordinate system (the SVG's viewBox); it scales to the width it is given.
WIDTH = 480
SERIES_COLUMN = 40  # the series' short name left of its bar ("DK", "All")
VALUE_COLUMN = 98  # the share and count right of the longest bar ("100% (21)")
LABEL_LINE = 20  # a line of a value's name, above its bars
LABEL_CHARACTERS = 46  # a longer name wraps onto a second line
BAR_ROW = 21  # one series' bar and its gap
BAR_HEIGHT = 15
GROUP_GAP = 10
COLUMN_CHART_HEIGHT = 190
COLUMN_AXIS = 24  # room under the columns for the years
PLOT_TOP = 16  # room above the columns for the label of the top


@dataclass(frozen=True)
class Series:
    """Whose practices a bar counts: a country, or all countries (the reference)."""

    name: str  # "Denmark", "All countries"
    short: str  # "DK", "All": written beside each bar, so colour is never the only key
    colour: str  # a class of charts.css: "series-1" ... "series-5", "series-all"


@dataclass(frozen=True)
class Measure:
    """How many of a series' practices carry a value, and the search that counts them."""

    series: Series
    count: int
    total: int  # the series' practices the share is taken of
    query: str  # the search page's query string whose count is ``count``

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{round(self.share * 100)}%"


@dataclass(frozen=True)
class Bar:
    measure: Measure
    y: float  # top of the bar
    length: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 3

    @property
    def hit_y(self) -> float:  # the top of the row a pointer opens its search from
        return self.y - (BAR_ROW - BAR_HEIGHT) / 2

    @property
    def value_x(self) -> float:
        return SERIES_COLUMN + self.length + 5


@dataclass(frozen=True)
class Group:
    """One value of a facet (Skills, say) and a bar for each series."""

    label: str
    label_lines: list  # (y, text) of its name's lines
    bars: list  # Bar, one per series

    @property
    def axis_top(self) -> float:
        return self.bars[0].y - 2 if self.bars else 0

    @property
    def axis_bottom(self) -> float:
        return self.bars[-1].y + BAR_HEIGHT + 2 if self.bars else 0


@dataclass
class BarChart:
    slug: str  # makes the ids of its title and description
    title: str
    description: str
    series: list  # Series, in the order of each group's bars
    groups: list = field(default_factory=list)  # Group
    height: float = 0
    scale: float = 1.0  # the share the full length stands for

    width = WIDTH
    bar_height = BAR_HEIGHT
    bar_row = BAR_ROW
    series_column = SERIES_COLUMN

    @property
    def scale_percent(self) -> str:
        return f"{round(self.scale * 100)}%"

    @property
    def series_names(self) -> str:
        """Each series with its short name, as a sentence lists them: "Denmark (DK) and All"."""
        names = [f"{series.name} ({series.short})" for series in self.series]
        return get_text_list(names, gettext("and"))


def bar_chart(slug, title, description, series, rows, *, scale=None) -> BarChart:
    """A chart of ``rows``: (value's name, [Measure for each of ``series``]). ``scale`` is the
    share the longest bar stands for; by default the largest share shown rounded up to the
    next tenth, so that charts given the same scale line up."""
    chart = BarChart(slug, title, description, list(series))
    chart.scale = scale or shared_scale([measures for _, measures in rows])
    usable = WIDTH - SERIES_COLUMN - VALUE_COLUMN
    y = 0.0
    for label, measures in rows:
        lines = textwrap.wrap(label, LABEL_CHARACTERS) or [""]
        label_lines = [
            (y + LABEL_LINE * (number + 1) - 4, text) for number, text in enumerate(lines)
        ]
        y += LABEL_LINE * len(lines)
        bars = []
        for measure in measures:
            length = usable * min(measure.share / chart.scale, 1.0) if chart.scale else 0.0
            bars.append(Bar(measure, y, round(length, 1)))
            y += BAR_ROW
        chart.groups.append(Group(label, label_lines, bars))
        y += GROUP_GAP
    chart.height = max(y, 1)
    return chart


def shared_scale(measure_lists) -> float:
    """The largest share among the measures, rounded up to the next tenth (at least 10%): one
    scale for charts that should line up."""
    largest = max((m.share for measures in measure_lists for m in measures), default=0.0)
    return max(math.ceil(round(largest * 10, 6)) / 10, 0.1)


@dataclass(frozen=True)
class Column:
    year: int
    measure: Measure
    x: float
    y: float
    height: float
    centre: float  # where its year is written
    labelled: bool  # its year is written under the axis


@dataclass
class ColumnChart:
    """One series over the years: each column the practices active in a year."""

    slug: str
    title: str
    description: str
    series: Series
    columns: list = field(default_factory=list)
    by_share: bool = False  # heights are shares of the series' practices, else counts
    top: float = 1.0  # the share or count the full height stands for
    column_width: float = 0

    width = WIDTH
    height = COLUMN_CHART_HEIGHT
    axis_y = COLUMN_CHART_HEIGHT - COLUMN_AXIS
    plot_top = PLOT_TOP
    plot_left = SERIES_COLUMN
    plot_height = COLUMN_CHART_HEIGHT - COLUMN_AXIS - PLOT_TOP
    year_y = COLUMN_CHART_HEIGHT - 5

    @property
    def top_label(self) -> str:
        return f"{round(self.top * 100)}%" if self.by_share else str(int(self.top))


def column_chart(slug, title, description, series, years, *, by_share=False, top=None):
    """Columns for ``years``: (year, Measure) in order. ``top`` is what the full height
    stands for (shared by charts that should line up); by default the largest value."""
    chart = ColumnChart(slug, title, description, series, by_share=by_share)
    values = [measure.share if by_share else measure.count for _, measure in years]
    chart.top = top or (max(values, default=0) or 1)
    plot_height = COLUMN_CHART_HEIGHT - COLUMN_AXIS - PLOT_TOP
    left = SERIES_COLUMN
    step = (WIDTH - left - 18) / max(len(years), 1)  # room for the last year written
    every = max(1, math.ceil(len(years) / 8))  # about eight years written under the axis
    for index, ((year, measure), value) in enumerate(zip(years, values, strict=True)):
        height = round(plot_height * min(value / chart.top, 1.0), 1)
        chart.columns.append(
            Column(
                year,
                measure,
                round(left + index * step + step * 0.1, 1),
                round(chart.axis_y - height, 1),
                height,
                round(left + index * step + step / 2, 1),
                labelled=(len(years) - 1 - index) % every == 0,  # the latest year always
            )
        )
    chart.column_width = round(step * 0.8, 1)
    return chart
