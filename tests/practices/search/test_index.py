import pytest
from django.http import QueryDict

from practices.models import Practice, Region, ThematicPriority, Typology
from practices.search.index import current_index
from practices.search.index_engine import IndexEngine
from practices.search.selector import search
from practices.search.sql_engine import SqlEngine
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
