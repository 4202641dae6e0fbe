from array import array

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from practices.models import Practice, Region, ThematicPriority, Typology
from practices.search.engines.bitsets import IndexEngine
from practices.search.engines.sql import SqlEngine
from practices.search.facet_index.store import FacetIndex, current_index
from practices.search.selector import search
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

SEARCHES = [
    "",
    "challenge=skills&priority=green-transition&support=intelligence",
    "country=FI&country=DK&challenge=innovation",
    "typology=creative-digital-capitals&territorial_validity=regional",
    "q=cluster",
    "q=circular+-flanders&priority=resilience",
    "recommendation=r14&recommendation=r15",
    "priority=resilience&priority=green-transition&priority_match=any",
    "priority=resilience&priority=green-transition&priority_match=any&challenge=skills",
    "challenge=skills&challenge=value-chains&challenge_match=any&country=FI&country=DK",
    "q=cluster&support=intelligence&support=networking&support_match=any",
    "country_group=nordic&country_group=baltic&challenge=innovation",
    "country_group=eu27&country=FI&priority=resilience",
]


def counted(query_string, *, indexed):
    if indexed:
        result = search(QueryDict(query_string))
        assert isinstance(result.engine, IndexEngine)
    else:  # the same practices, given as a queryset: counted in SQL
        result = search(QueryDict(query_string), queryset=Practice.objects.published())
        assert isinstance(result.engine, SqlEngine)
    return {f.param: [(o.slug, o.count) for o in f.options] for f in result.facets}


@pytest.mark.parametrize("query_string", SEARCHES)
def test_the_index_counts_exactly_what_sql_counts(sample_practices, query_string):
    assert counted(query_string, indexed=True) == counted(query_string, indexed=False)


def test_every_kind_of_write_makes_the_index_rebuild(sample_practices):
    def green():
        return dict(counted("", indexed=True)["priority"])["green-transition"]

    first = current_index()
    assert green() == 8
    practice = make_practice(priorities=["green-transition"])
    assert green() == 9 and current_index() is not first
    practice.priorities.remove(ThematicPriority.objects.get(slug="green-transition"))
    assert green() == 8
    Practice.objects.filter(slug="circular-flanders").update(is_published=False)
    assert green() == 7
    typologies = dict(counted("", indexed=True)["typology"])
    Region.objects.filter(code="FI1B").update(typology=Typology.objects.get(slug="agri-textile"))
    after = dict(counted("", indexed=True)["typology"])
    assert after["agri-textile"] == typologies["agri-textile"] + 1
    assert after["creative-digital-capitals"] == typologies["creative-digital-capitals"] - 1


def test_an_unchanged_database_reuses_the_index(sample_practices):
    assert current_index() is current_index()


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(1, 70),
    data=st.data(),
    skip=st.integers(0, 80),
    most=st.one_of(st.none(), st.integers(0, 30)),
)
def test_title_order_walks_slots_and_late_practices_as_one_sorted_list(size, data, skip, most):
    """Late practices (each after the slot it follows) merge into the walk along the slots
    exactly where sorting every position by its title key puts them, and a title key gives
    its position back."""
    late_positions = data.draw(st.lists(st.integers(0, size - 1), unique=True, max_size=size))
    anchors = sorted(
        data.draw(st.lists(st.integers(-1, size - 1), min_size=len(late_positions), max_size=len(late_positions)))
    )  # fmt: skip
    late = {p: a for p, a in zip(late_positions, anchors, strict=True) if a != p}
    bits = data.draw(st.integers(0, (1 << size) - 1))
    index = FacetIndex(
        version=1,
        ids=array("q", range(size)),
        everything=(1 << size) - 1,
        bits={},
        title_hashes=array("q", [0] * size),
        read_changes_from=None,
        late=late,
    )
    chosen = sorted((p for p in range(size) if bits >> p & 1), key=index.title_key)
    expected = chosen[skip:] if most is None else chosen[skip : skip + most]
    assert index.in_title_order(bits, skip=skip, most=most) == expected
    assert all(index.position_at(index.title_key(p)) == p for p in range(size))
