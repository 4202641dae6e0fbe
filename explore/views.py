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
