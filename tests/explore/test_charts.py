"""Bar and column charts as data (explore/charts.py): shares on one scale, bars in proportion."""

from explore.charts import Measure, Series, bar_chart, column_chart, shared_scale

DENMARK = Series("Denmark", "DK", "series-1")
FINLAND = Series("Finland", "FI", "series-2")


def test_the_shared_scale_is_the_largest_share_rounded_up_to_a_tenth():
    assert shared_scale([[Measure(DENMARK, 5, 6, "")], [Measure(FINLAND, 1, 4, "")]]) == 0.9
    assert shared_scale([[Measure(DENMARK, 3, 10, "")]]) == 0.3  # exactly a tenth stays
    assert shared_scale([[Measure(DENMARK, 0, 0, "")]]) == 0.1  # nothing: a scale still


def test_bars_are_in_proportion_to_their_shares_and_groups_do_not_overlap():
    rows = [
        ("Innovation", [Measure(DENMARK, 5, 10, "a"), Measure(FINLAND, 2, 4, "b")]),
        ("A name long enough to wrap onto a second line of the chart's labels", [
            Measure(DENMARK, 1, 10, "c"), Measure(FINLAND, 0, 4, "d"),
        ]),
    ]  # fmt: skip
    chart = bar_chart("test", "Title", "Description", [DENMARK, FINLAND], rows)
    assert chart.scale == 0.5
    first, second = chart.groups
    assert first.bars[0].length == first.bars[1].length  # 50% and 50%
    assert second.bars[0].length == first.bars[0].length / 5  # 10% of the 50% scale
    assert second.bars[1].length == 0
    assert len(second.label_lines) == 2
    assert second.label_lines[0][0] > first.bars[-1].y  # below the first group's bars
    assert chart.height > second.bars[-1].y


def test_columns_stand_on_one_axis_in_proportion_to_their_counts():
    years = [(2019, Measure(DENMARK, 1, 4, "")), (2020, Measure(DENMARK, 4, 4, ""))]
    chart = column_chart("years", "Title", "Description", DENMARK, years)
    low, high = chart.columns
    assert chart.top == 4 and high.height == 4 * low.height
    assert low.y + low.height == high.y + high.height == chart.axis_y
    assert high.labelled  # the latest year is always written
    shares = column_chart("years", "T", "D", DENMARK, years, by_share=True, top=0.5)
    assert shares.columns[1].height == shares.columns[0].height * 2  # 100% is capped at the top
