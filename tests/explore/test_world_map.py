"""The maps of /countries/: drawn from the boundary data, every country with practices linked
once for the keyboard, its number that of its search, small states findable."""

import re
from itertools import pairwise

import pytest

from explore import overview, world_map
from practices.models import Practice
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

LINK = re.compile(
    r'<a href="/countries/(?P<code>[a-z]{2})/" class="shade-(?P<shade>\d)"'
    r'(?P<hidden> tabindex="-1" aria-hidden="true")?'
    r' aria-label="(?P<name>[^:"]+): (?P<count>\d+) practices?">'
    r"(?P<inside>.*?)</a>",
    re.S,
)


def map_links(content):
    return [match.groupdict() for match in LINK.finditer(content)]


def result_count(client, query):
    return client.get(f"/practices/?{query}").context["page"].paginator.count


def test_each_country_with_practices_is_one_stop_for_the_keyboard_with_its_search_count(
    sample_practices, client
):
    make_practice(slug="draft", is_published=False, country="ES")
    content = client.get("/countries/").content.decode()
    links = map_links(content)
    reachable = [link for link in links if not link["hidden"]]
    published = set(Practice.objects.published().values_list("country", flat=True))
    assert sorted(link["code"].upper() for link in reachable) == sorted(published)
    assert "ES" not in published and "/countries/es/" not in content  # a draft is no practice
    for link in links:
        assert int(link["count"]) == result_count(client, f"country={link['code'].upper()}")
    # the world map links its European countries again for the mouse, hidden from the keyboard
    hidden = {link["code"] for link in links if link["hidden"]}
    assert hidden and hidden <= {link["code"] for link in reachable}


def test_the_shades_follow_the_counts_and_the_legend_says_which_is_which(taxonomies, client):
    for index in range(4):
        make_practice(slug=f"de-{index}", country="DE")
    make_practice(slug="dk-0", country="DK")
    make_practice(slug="dk-1", country="DK")
    make_practice(slug="fr-0", country="FR")
    response = client.get("/countries/")
    shades = {
        link["code"]: int(link["shade"])
        for link in map_links(response.content.decode())
        if not link["hidden"]
    }
    assert shades == {"de": 3, "dk": 2, "fr": 1}
    assert response.context["maps"][0].legend == [(1, "1"), (2, "2"), (3, "4")]


def test_small_states_carry_a_marker_on_the_map_of_europe(taxonomies, client):
    for code in ["MT", "LU", "CY", "DE"]:
        make_practice(slug=code.lower(), country=code)
    content = client.get("/countries/").content.decode()
    europe = content[content.index('id="map-europe"') : content.index('id="map-world"')]
    with_marker = {link["code"] for link in map_links(europe) if 'class="marker"' in link["inside"]}
    assert with_marker == {"mt", "lu", "cy"}


def test_shade_ranges_hold_about_as_many_countries_each():
    assert overview.shade_ranges([3, 1, 1, 0]) == [(1, 1), (3, 3)]
    assert overview.shade_ranges([]) == []
    counts = [1] * 10 + [2] * 5 + [3, 4, 5, 8, 13, 21, 34, 55, 89, 144]
    ranges = overview.shade_ranges(counts)
    assert len(ranges) == overview.SHADES
    assert ranges[0][0] == 1 and ranges[-1][1] == 144
    assert all(high < next_low for (_, high), (next_low, _) in pairwise(ranges))


def test_the_maps_are_drawn_from_the_boundary_data_within_their_frames():
    europe, world = world_map.europe(), world_map.world()
    europe_codes = {shape.code for shape in europe.shapes}
    assert {"DK", "MT", "LU", "CY", "IS", "PT", "TR"} <= europe_codes
    assert not {"US", "AU", "BR"} & europe_codes
    assert {"US", "AU", "BR", "DK", "XK"} <= {shape.code for shape in world.shapes}
    assert len([s for s in world.shapes if s.code == "AU"]) == 1  # its islands are merged in
    for frame in (europe, world):
        for shape in frame.shapes:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.path)]
            xs, ys = numbers[0::2], numbers[1::2]
            assert all(-3 <= x <= frame.width + 3 for x in xs), shape.name
            assert all(-3 <= y <= frame.height + 3 for y in ys), shape.name


def test_a_ring_across_the_antimeridian_is_cut_in_two_not_drawn_across_the_world():
    island = [(179.0, 71.0), (-179.0, 71.0), (-179.0, 72.0), (179.0, 72.0), (179.0, 71.0)]
    pieces = world_map._cut_at_antimeridian(island)
    assert len(pieces) == 2
    for piece in pieces:
        lons = [lon for lon, _ in piece]
        assert max(lons) - min(lons) <= 1.0 + 1e-9
    world = world_map.world()
    for shape in world.shapes:
        for ring in shape.path.split("M")[1:]:
            xs = [float(point.split(",")[0]) for point in ring.rstrip("Z").split("L")]
            if shape.code != "RU":  # Russia is wider than half the world map on its own
                assert max(xs) - min(xs) < world.width / 2, shape.name
