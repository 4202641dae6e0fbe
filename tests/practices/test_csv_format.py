import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practices.csv_format import csv_line, neutralise_cell, restore_cell, split_list


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("''", "'''"),
        ("'Tis the season", "'Tis the season"),
        ("Innovation Networks Denmark", "Innovation Networks Denmark"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised_and_restored_exactly(value, exported):
    assert neutralise_cell(value) == exported
    assert restore_cell(exported) == value


@given(st.text())
def test_every_string_survives_the_round_trip(value):
    assert restore_cell(neutralise_cell(value)) == value


@given(st.text())
def test_no_exported_cell_starts_like_a_formula(value):
    assert not neutralise_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_lists_split_on_semicolons_and_ignore_blanks():
    assert split_list("Innovation;  Skills; ;") == ["Innovation", "Skills"]
    assert split_list("") == []


@given(st.lists(st.text(), min_size=2, max_size=16))
def test_csv_line_writes_exactly_what_the_csv_module_writes(cells):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    assert csv_line(cells) == buffer.getvalue()
