"""The maps of /countries/: drawn from the boundary data, every country with practices linked
once for the keyboard, its number that of its search, small states findable, the classes
told apart, "none yet" hatched, Europe framed, counts printed where they fit."""

import re
from itertools import pairwise
from pathlib import Path

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


STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def relative_luminance(colour):
    """WCAG 2.1's relative luminance of #rrggbb."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first, second):
    lighter, darker = sorted(map(relative_luminance, (first, second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def class_fills():
    css = STYLESHEET.read_text(encoding="utf-8")
    fills = dict(re.findall(r"^\.shade-(\d) \{ fill: (#[0-9a-f]{6});", css, re.M))
    return [fills[str(shade)] for shade in range(1, overview.SHADES + 1)], css


def test_contrast_helper_measures_as_wcag_does():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#777777") == 1.0


def test_each_class_stands_apart_from_its_neighbours_and_the_ends_far_apart():
    fills, _ = class_fills()
    assert len(set(fills)) == overview.SHADES
    for lighter, darker in pairwise(fills):
        assert relative_luminance(lighter) > relative_luminance(darker)  # fewest is lightest
        assert contrast(lighter, darker) >= 1.5, (lighter, darker)
    assert contrast(fills[0], fills[-1]) >= 3


def test_a_count_printed_on_a_country_is_readable_on_its_class():
    fills, css = class_fills()
    dark = re.search(r"\.country-map text\.count \{ fill: (#[0-9a-f]{6});", css).group(1)
    light_on = set(re.findall(r"\.country-map \.shade-(\d) text\.count", css))
    light = re.search(r"text\.count \{ fill: (#[0-9a-f]{6}); \}", css).group(1)
    for shade, fill in enumerate(fills, 1):
        text = light if str(shade) in light_on else dark
        assert contrast(text, fill) >= 4.5, (shade, fill, text)


def test_none_yet_is_hatched_on_both_maps_and_in_the_legend(sample_practices, client):
    content = client.get("/countries/").content.decode()
    for slug in ("europe", "world"):
        assert f'<pattern id="hatch-{slug}"' in content
        assert f'<g class="no-practices" fill="url(#hatch-{slug})"' in content
    start = content.index('class="map-legend"')
    legend = content[start : content.index("</ul>", start)]
    assert '<span class="swatch shade-0" aria-hidden="true"></span>none yet' in legend
    assert "repeating-linear-gradient" in STYLESHEET.read_text(encoding="utf-8")


def test_the_maps_are_figures_named_by_their_captions_without_an_invalid_role(
    sample_practices, client
):
    content = client.get("/countries/").content.decode()
    assert content.count("<svg ") == 2 and 'role="group"' not in content
    assert content.count("<figcaption>") == 2


def test_small_states_markers_have_the_radius_the_module_declares(taxonomies, client):
    make_practice(slug="mt", country="MT")
    content = client.get("/countries/").content.decode()
    assert 'class="marker" cx=' in content
    assert re.findall(r'class="marker" [^>]*r="(\d+)"', content) == [str(world_map.MARKER_RADIUS)]


def points_of(path):
    return [
        [tuple(map(float, point.split(","))) for point in ring.rstrip("Z").split("L")]
        for ring in path.split("M")[1:]
    ]


def test_europe_is_framed_by_its_box_and_russia_and_turkiye_are_cut_at_its_edge():
    europe = world_map.europe()
    (outline,) = points_of(europe.outline)
    by_code = {shape.code: shape for shape in europe.shapes}

    def within_frame(x, y):  # on the edge counts: a cut lies on it, rounded to a tenth
        return any(
            world_map._inside((x + dx, y + dy), outline) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
        )

    for code in ("RU", "TR", "MA", "DZ"):
        assert all(within_frame(*point) for ring in points_of(by_code[code].path) for point in ring)
    assert not {"KZ", "IR", "SA"} & set(by_code)  # east of the box, or south of it
    russia = sum(world_map._area_and_centre(ring)[0] for ring in points_of(by_code["RU"].path))
    assert russia < 0.08 * europe.width * europe.height  # it filled 14% of the old frame
    assert {"IS", "PT", "CY", "MT", "FI", "NO"} <= set(by_code)


def test_counts_are_printed_inside_large_countries_and_not_on_small_ones(taxonomies, client):
    counts = {"DE": 3, "FR": 12, "NO": 1, "LU": 2, "MT": 1}
    for code, count in counts.items():
        for number in range(count):
            make_practice(slug=f"{code.lower()}-{number}", country=code)
    content = client.get("/countries/").content.decode()
    europe = content[content.index('id="map-europe"') : content.index('id="map-world"')]
    printed = {
        link["code"].upper(): re.search(r'<text class="count"[^>]*>(\d+)</text>', link["inside"])
        for link in map_links(europe)
    }
    assert {code: int(text.group(1)) for code, text in printed.items() if text} == {
        "DE": 3, "FR": 12, "NO": 1
    }  # fmt: skip
    assert {link["name"] for link in map_links(europe)} >= {"Germany", "Luxembourg"}
    for shape in world_map.europe().shapes:
        if shape.label_at:  # the point lies in the country, away from its edge
            rings = points_of(shape.path)
            assert any(world_map._inside(shape.label_at, ring) for ring in rings), shape.name


def test_a_long_count_is_squeezed_into_the_box_that_fits(taxonomies, client):
    for number in range(100):
        make_practice(slug=f"de-{number}", country="DE")
    content = client.get("/countries/").content.decode()
    assert f'textLength="{world_map.LABEL_WIDTH}" lengthAdjust="spacingAndGlyphs"' in content
