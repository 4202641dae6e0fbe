"""The groups of countries, as facts (``practices.country_groups``)."""

from django_countries import countries

from practices.country_groups import EUROPEAN_GROUPS, country_groups, groups_of


def members(slug):
    (group,) = [group for group in country_groups() if group.slug == slug]
    return group.codes


def test_the_groups_in_their_order_with_their_names():
    assert [(group.slug, group.name) for group in country_groups()] == [
        ("eu27", "EU-27"),
        ("efta", "EFTA"),
        ("nordic", "Nordic countries"),
        ("baltic", "Baltic states"),
        ("western-balkans", "Western Balkans"),
        ("eastern-partnership", "Eastern Partnership"),
        ("eu-candidates", "EU candidate countries"),
        ("rest-of-world", "Rest of the world"),
    ]


def test_the_eu_has_27_member_states_since_brexit_and_its_own_measures():
    assert len(members("eu27") - {"EU"}) == 27
    assert "EU" in members("eu27") and "GB" not in members("eu27")
    assert {"DE", "FR", "HR", "GR", "IE", "CY", "MT"} <= members("eu27")


def test_the_european_groups_hold_exactly_their_countries():
    assert members("efta") == {"IS", "LI", "NO", "CH"}
    assert members("nordic") == {"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}
    assert members("baltic") == {"EE", "LV", "LT"}
    assert members("western-balkans") == {"AL", "BA", "XK", "ME", "MK", "RS"}
    assert members("eastern-partnership") == {"AM", "AZ", "BY", "GE", "MD", "UA"}
    assert members("eu-candidates") == {"AL", "BA", "GE", "MD", "ME", "MK", "RS", "TR", "UA"}


def test_the_rest_of_the_world_is_every_other_country_the_field_accepts():
    european = set().union(*(group.codes for group in EUROPEAN_GROUPS))
    every_code = {code for code, _ in countries}
    assert members("rest-of-world") == every_code - european
    assert members("rest-of-world").isdisjoint(european)
    assert {"GB", "RU", "US", "SG", "AD", "VA"} <= members("rest-of-world")
    assert european <= every_code  # no group names a code the field would refuse


def test_a_country_is_in_each_of_its_groups_in_their_order():
    assert [group.slug for group in groups_of("NO")] == ["efta", "nordic"]
    assert [group.slug for group in groups_of("RS")] == ["western-balkans", "eu-candidates"]
    assert [group.slug for group in groups_of("SG")] == ["rest-of-world"]
    assert groups_of("") == []
