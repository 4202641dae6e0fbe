import math

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from practices.exports import csv_chunks, export_filename
from practices.facets import (
    cached_for_search,
    facet_counts,
    indexed_result_count,
    search_params,
)
from practices.filters import search_practices
from practices.indexed_search import indexed_results
from practices.models import Practice
from practices.search import excerpt_html
from practices.suggestions import did_you_mean
from practices.throttles import ExportRateThrottle

PAGE_SIZE = 10


def practice_list(request):
    """The search page: filters with facet counts, removable chips, ten results a page."""
    filterset = search_practices(request.GET)
    params = search_params(request.GET)
    query_string = params.urlencode()
    context = {"filterset": filterset, "params": params, "query_string": query_string}
    if not filterset.is_valid():
        context["problems"] = _problems(filterset)
        return render(request, "practices/practice_list.html", context, status=400)

    keywords = filterset.form.cleaned_data.get("q") or ""
    # Pages in relevance or title order come from the index when it applies: fetching ten
    # practices by id costs a millisecond, ranking every keyword match about a hundred.
    results = indexed_results(filterset, filterset.queryset.for_listing().with_headline(keywords))
    if results is None:
        results = filterset.qs.for_listing().with_headline(keywords)
    paginator = Paginator(results, PAGE_SIZE)
    known_count = indexed_result_count(filterset)
    if known_count is not None:
        paginator.count = known_count  # saves a COUNT over every match
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        context["problems"] = ["The page number must be a whole number, such as page=2."]
        return render(request, "practices/practice_list.html", context, status=400)
    except EmptyPage:
        context["problems"] = [
            f"There is no page {request.GET['page'][:20]} of these results: "
            f"they fill {paginator.num_pages} page{'s' if paginator.num_pages != 1 else ''}."
        ]
        return render(request, "practices/practice_list.html", context, status=404)

    if keywords:
        for practice in page:
            practice.excerpt = excerpt_html(
                practice.description, keywords, getattr(practice, "headline", None)
            )
    if keywords and not paginator.count:
        context["suggestions"] = did_you_mean(keywords, params, using=filterset.qs.db)
    facets, facets_html = _facet_panel(filterset, params)
    context.update(
        page=page,
        page_numbers=list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        facets=facets,
        facets_html=facets_html,
        chips=_chips(params, facets),
        keywords=keywords,
    )
    return render(request, "practices/practice_list.html", context)


def practice_export(request):
    """Every published practice matching the search, as CSV, in the search page's order."""
    throttle = ExportRateThrottle()
    if not throttle.allow_request(request, None):
        wait = math.ceil(throttle.wait() or 1)
        response = HttpResponse(
            f"Too many exports from your address: try again in {wait} seconds.\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    filterset = search_practices(request.GET)
    if not filterset.is_valid():
        message = "This search could not be run:\n" + "\n".join(_problems(filterset)) + "\n"
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        csv_chunks(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    filename = export_filename(search_params(request.GET))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def practice_detail(request, slug):
    practice = get_object_or_404(Practice.objects.published().with_tags(), slug=slug)
    return render(request, "practices/practice_detail.html", {"practice": practice})


def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _problems(filterset):
    problems = []
    for name, errors in filterset.errors.items():
        label = filterset.filters[name].label if name in filterset.filters else name
        for error in errors:
            problems.append(f"{label} ({name}): {error}")
    return problems


def _facet_panel(filterset, params):
    """The facets of a valid search and their rendered HTML (most of a list page's time at
    100,000 practices, so kept in the cache for the search and data version)."""

    def build():
        facets = facet_counts(filterset)
        return facets, render_to_string("includes/facets.html", {"facets": facets})

    return cached_for_search(filterset, "facet-panel", build)


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
