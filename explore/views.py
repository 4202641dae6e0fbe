from django.http import Http404
from django.shortcuts import redirect, render
from django_countries import countries

from explore import dashboard, overview, world_map
from explore.page_cache import kept_until_the_data_changes
from factsheets.models import CountryFactsheet


def home(request):
    """What the toolkit is, the numbers, ways in by theme and by place, what changed lately."""
    everything = overview.everything()
    context = {
        "totals": overview.totals(everything),
        "entry_points": overview.entry_points(everything),
        "place_points": overview.entry_points(everything, overview.PLACE_FACETS),
        "recent": overview.recently_updated(),
    }
    return render(request, "explore/home.html", context)


@kept_until_the_data_changes
def themes(request):
    """The themes against each other, and where no practice exists yet (the gaps)."""
    everything = overview.everything()
    context = {
        "challenges_by_priority": overview.cross_table(
            everything,
            "Practices by strategic challenge and thematic priority",
            "challenge",
            "priority",
        ),
        "recommendations": overview.recommendations_by_pillar(everything),
        "gaps_by_typology": overview.cross_table(
            everything,
            "Recommendations by region typology, over the practices of one region (a national "
            "practice has none): empty cells have no practice yet",
            "recommendation",
            "typology",
        ),
        "gaps_by_country": overview.cross_table(
            everything,
            "Recommendations in the countries with most practices: empty cells have none yet",
            "recommendation",
            "country",
            columns=overview.busiest_countries(everything),
        ),
        "coverage": overview.review_coverage(),
    }
    return render(request, "explore/themes.html", context)


def typologies(request):
    """The European Cluster Panorama's seven groups of regions, and what we know in each."""
    groups, regions_of_unknown_group = overview.typology_groups()
    context = {"groups": groups, "regions_of_unknown_group": regions_of_unknown_group}
    return render(request, "explore/typologies.html", context)


def country_list(request):
    """The countries with practices on maps of Europe and the world, and as a table that
    sorts by name or by number (the maps' accessible alternative)."""
    order = "-count" if request.GET.get("sort") == "-count" else "name"
    rows = overview.country_rows(order)
    context = {
        "rows": rows,
        "order": order,
        "maps": overview.country_maps(rows),
        "marker_radius": world_map.MARKER_RADIUS,
        "label_width": world_map.LABEL_WIDTH,
    }
    return render(request, "explore/country_list.html", context)


@kept_until_the_data_changes
def country_detail(request, code):
    """A country's factsheet, practices and their themes (``/countries/dk/``)."""
    if code != code.lower():
        return redirect("explore:country", code=code.lower(), permanent=True)
    iso = code.upper()
    if iso not in countries:
        raise Http404("No such country.")
    summary = overview.country_overview(iso)
    factsheet = CountryFactsheet.objects.of(iso)
    name = countries.name(iso)
    found = summary is not None or factsheet is not None
    everything = overview.everything() if found else None
    context = {
        "code": iso,
        "name": name,
        "summary": summary,
        "factsheet": factsheet,
        "coverage": overview.review_coverage(iso) if summary else None,
        "dashboard": (
            dashboard.country_dashboard(iso, name, summary["result"], everything)
            if summary
            else None
        ),
        "others": (
            [row for row in overview.country_rows(within=everything) if row.code != iso]
            if found
            else []
        ),
    }
    return render(request, "explore/country_detail.html", context, status=200 if found else 404)


@kept_until_the_data_changes
def compare_countries(request):
    """Two to five countries side by side (``/compare/?country=DK&country=FI``): the address
    is the whole state, so a comparison can be shared. Without countries, a form to pick
    them; with too few, too many or unknown codes, the same form and what was wrong (400)."""
    everything = overview.everything()
    rows = overview.country_rows(within=everything)
    names = {row.code: row.name for row in rows}
    asked = request.GET.getlist("country")
    codes, problems = dashboard.chosen_countries(asked, names)
    context = {"rows": rows, "chosen": codes, "problems": problems if asked else []}
    if problems:
        status = 400 if asked else 200
        return render(request, "explore/compare_countries.html", context, status=status)
    context["comparison"] = dashboard.comparison(codes, names)
    return render(request, "explore/compare_countries.html", context)
