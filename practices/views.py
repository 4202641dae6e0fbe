from urllib.parse import urlencode, urlsplit

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from practices.comparison.choice import choice_of, mark_cards, practice_page_choice, tray_links
from practices.comparison.table import compare
from practices.exchange.dataset import LICENCE_NAME, LICENCE_URL, stip_source
from practices.intake.public_form import SuggestionForm, submit_suggestion
from practices.models import Practice
from practices.querysets import PracticeQuerySet
from practices.search.did_you_mean import did_you_mean
from practices.search.facet_index.store import data_version
from practices.search.facets.registry import ALL, FACET_QUERY_PARAMS, FACETS
from practices.search.forgiving import forgiven, without_empty_keywords
from practices.search.keywords import excerpt_html, highlight_html
from practices.search.related import related_to
from practices.search.selector import search
from practices.throttles import SuggestRateThrottle, seconds_to_wait, wait_in_words
from toolkit.staff_auth import verified_staff

PAGE_SIZE = 10
# The parameters the search page reads forgivingly (``search.forgiving``).
FORGIVABLE = frozenset([*FACET_QUERY_PARAMS, "sort"])


def practice_list(request):
    """The search page: filters with facet counts, removable chips, ten results a page. An
    address with a stale or mistyped value shows the rest of its search, with a notice."""
    if shorter := _without_defaults(request.GET):
        return redirect(shorter)
    params, notices = without_empty_keywords(request.GET)
    result = _search_page(params)
    status = 200
    if FORGIVABLE.intersection(result.errors):
        params, left_out = forgiven(params, result.errors)
        notices += left_out
        # still a 400 for a value left out: the page shows the rest, programs hear of it
        status = 400 if left_out else 200
        result = _search_page(params)
    # the practices chosen for comparison, carried in the page's own links (never a cookie)
    choice = choice_of(request.GET)
    query_string = result.params.urlencode()
    context = {
        "params": result.params,
        "query_string": query_string,
        "notices": notices,
        "choice": choice,
        "paging_query": _joined(query_string, choice.query),
    }
    if result.errors:
        context["problems"] = result.problems
        return render(request, "practices/practice_list.html", context, status=result.status)
    keywords = result.keywords
    for practice in result.page if keywords else ():
        practice.title_html = highlight_html(practice.title, keywords)
        practice.excerpt = excerpt_html(
            practice.description, keywords, getattr(practice, "headline", None)
        )
    if keywords and not result.count:
        context["suggestions"] = did_you_mean(keywords, result.params)
    # the panel's HTML holds interface text: kept per language
    panel_key = f"facet-panel:{get_language()}"
    facets, facets_html = result.cached(panel_key, lambda: _facet_panel(result))
    here = _joined(query_string, f"page={result.page.number}" if result.page.number > 1 else "")
    mark_cards(result.page, choice, here)
    context.update(
        page=result.page,
        page_numbers=_page_numbers(result.page),
        facets=facets,
        facets_html=facets_html,
        chips=[
            (label, _joined(query, choice.query)) for label, query in _chips(result.params, facets)
        ],
        tray=tray_links(choice, here),
        selected_count=sum(len(facet.selected) for facet in facets),
        keywords=keywords.text,
    )
    return render(request, "practices/practice_list.html", context, status=status)


def _joined(*queries: str) -> str:
    return "&".join(query for query in queries if query)


def _without_defaults(data) -> str | None:
    """The address of this search without its empty fields and default choices (what a form
    sent without JavaScript holds: ``q=&sort=&priority_match=all``), or None when it has
    none: a search's address stays short enough to read and share."""
    kept = [
        (name, value)
        for name, value in data.lists()
        for value in value
        if value != "" and not (name.endswith("_match") and value == ALL)
    ]
    if len(kept) == sum(len(values) for _, values in data.lists()):
        return None
    return reverse("practices:list") + (f"?{urlencode(kept)}" if kept else "")


def _search_page(params):
    return search(
        params,
        page=params.get("page") or 1,
        page_size=PAGE_SIZE,
        fetch=PracticeQuerySet.for_listing,
        headlines=True,
    )


def practice_suggest(request):
    """The public form to suggest a practice; a valid one becomes a draft for the curators.
    Only accepted suggestions count toward the limit, and a refused one (mistakes, or the
    limit) comes back with everything typed, for sending again."""
    if request.method != "POST":
        return render(request, "practices/suggest.html", {"form": SuggestionForm()})
    form = SuggestionForm(request.POST)
    if form.is_from_a_bot():
        return redirect("practices:suggest-thanks")  # no hint that it was noticed
    if not form.is_valid():
        return render(request, "practices/suggest.html", {"form": form}, status=400)
    throttle = SuggestRateThrottle()
    wait = seconds_to_wait(throttle, request)
    if wait is not None:
        context = {"form": form, "wait": wait_in_words(wait)}
        response = render(request, "practices/suggest.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    submit_suggestion(data=form.cleaned_data)
    throttle.count_accepted(request)
    return redirect("practices:suggest-thanks")


def practice_suggest_thanks(request):
    return render(request, "practices/suggest_thanks.html")


PRACTICE_PAGE_SECONDS = 3600  # an entry of an older data version is never read again


def practice_detail(request, slug):
    """A published practice; for a curator, a draft too, marked as a preview (the public gets
    404 for it)."""
    if verified_staff(request.user):
        return practice_preview(request, slug)
    back_to_search = _search_came_from(request)
    version = data_version(Practice.objects.db) if back_to_search is None else None
    if version is None:
        return _practice_page(request, slug, back_to_search)
    # The same for everyone until the data changes (its related practices too): kept per
    # data version, like the facet panels.
    key = f"practice-page:{version}:{get_language()}:{slug}"
    body = cache.get(key)
    if body is None:
        response = _practice_page(request, slug, None)
        cache.set(key, response.content, timeout=PRACTICE_PAGE_SECONDS)
        return response
    return HttpResponse(body)


def _practice_page(request, slug, back_to_search):
    practice = get_object_or_404(Practice.objects.published().with_tags(), slug=slug)
    return render(
        request,
        "practices/practice_detail.html",
        {
            **_facts_of(practice),
            "back_to_search": back_to_search,
            "comparing": practice_page_choice(practice, back_to_search),
        },
    )


def practice_compare(request):
    """2 to 4 published practices side by side (``/compare/practices/?p=a&p=b``): the address
    is the whole state. A choice it cannot compare says why and how to go on (400; 404 for a
    practice that is not published)."""
    comparison = compare(request.GET)
    return render(
        request,
        "practices/compare.html",
        {"comparison": comparison},
        status=comparison.status,
    )


def _facts_of(practice) -> dict:
    """What a practice's page shows of it, beyond the practice itself: its other facets, the
    related practices, and for a record from the STIP Compass the credit its facts carry."""
    return {
        "practice": practice,
        "more_facts": more_facts(practice),
        "related": related_to(practice),
        "stip_source": stip_source(practice.survey_year) if practice.origin == "stip" else "",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
    }


# The facets the practice's page lays out itself (with links, periods and pillars); any other
# facet of the registry is listed after them by ``more_facts``.
LAID_OUT_ON_THE_PAGE = frozenset(
    [
        "country",
        "territorial_validity",
        "priority",
        "challenge",
        "support",
        "instrument",
        "target_group",
        "year",
        "budget",
        "evaluated",
        "typology",
        "recommendation",
    ]
)


def more_facts(practice) -> list[tuple[str, list[tuple[str, str]]]]:
    """(label, [(name, query string of its search)]) of each other facet the practice holds a
    value of, in the registry's order."""
    facts = []
    for spec in FACETS:
        if spec.param in LAID_OUT_ON_THE_PAGE:
            continue
        values = spec.kind.values_of(spec, practice)
        if values:
            links = [(name, urlencode({spec.param: slug})) for slug, name in values]
            facts.append((spec.label, links))
    return facts


def _search_came_from(request) -> str | None:
    """The search the visitor opened this practice from (this site's search page, as the
    Referer names it), to go back to; None otherwise."""
    came_from = urlsplit(request.headers.get("Referer", ""))
    if came_from.netloc != request.get_host() or came_from.path != reverse("practices:list"):
        return None
    return f"{came_from.path}?{came_from.query}" if came_from.query else None


@staff_member_required
def practice_preview(request, slug):
    """A practice, draft or not, exactly as its public page shows it: for curators reviewing
    (signed in with their second factor where it is required)."""
    if not verified_staff(request.user):
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    practice = get_object_or_404(Practice.objects.with_tags(), slug=slug)
    response = render(
        request,
        "practices/practice_detail.html",
        {
            **_facts_of(practice),
            "preview": not practice.is_published,
            "back_to_search": _search_came_from(request),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True)
    return response


def _page_numbers(page):
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _facet_panel(result):
    """The facets of a valid search and their rendered HTML (most of a list page's time at
    100,000 practices, so kept in the cache for the search and data version)."""
    facets = result.facets
    return facets, render_to_string("includes/facets.html", {"facets": facets})


def _chips(params, facets):
    """The current selection as removable chips: (label, query string without it)."""
    chips = []
    if params.get("q"):
        without = params.copy()
        without.pop("q")
        chips.append((f"Keywords: {params['q']}", without.urlencode()))
    for facet in facets:
        for option in facet.selected:
            chips.append((f"{facet.label}: {option.name}", option.toggle_query))
    return chips
