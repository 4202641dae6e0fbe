from django.shortcuts import render

from explore import overview


def home(request):
    """What the toolkit is, the numbers, ways in by theme, what changed lately."""
    context = {
        "totals": overview.totals(),
        "entry_points": overview.entry_points(),
        "recent": overview.recently_updated(),
    }
    return render(request, "explore/home.html", context)


def themes(request):
    """The themes against each other, and where no practice exists yet (the gaps)."""
    context = {
        "challenges_by_priority": overview.cross_table(
            "Practices by strategic challenge and thematic priority", "challenge", "priority"
        ),
        "recommendations": overview.recommendations_by_pillar(),
        "gaps_by_typology": overview.cross_table(
            "Recommendations by region typology: empty cells have no practice yet",
            "recommendation",
            "typology",
        ),
        "gaps_by_country": overview.cross_table(
            "Recommendations in the countries with most practices: empty cells have none yet",
            "recommendation",
            "country",
            columns=overview.busiest_countries(),
        ),
    }
    return render(request, "explore/themes.html", context)


def typologies(request):
    """The European Cluster Panorama's seven groups of regions, and what we know in each."""
    return render(request, "explore/typologies.html", {"groups": overview.typology_groups()})
