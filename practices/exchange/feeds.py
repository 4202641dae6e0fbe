"""An Atom feed of any search: ``/practices/feed/?<the search's parameters>`` lists the most
recently updated matching practices, so anyone can follow "Skills + Green transition in
Denmark" in a feed reader. Like the API, it reads its parameters strictly."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from practices.exchange.dataset import PUBLISHER
from practices.querysets import PracticeQuerySet
from practices.search.selector import search

FEED_SIZE = 50


class SearchFeed(Feed):
    feed_type = Atom1Feed
    # Atom requires an author of the feed, or of every entry: the toolkit speaks for all
    author_name = PUBLISHER

    def __call__(self, request, *args, **kwargs):
        params = request.GET.copy()
        params["sort"] = "-updated"
        result = search(params, page=1, page_size=FEED_SIZE, fetch=PracticeQuerySet.for_listing)
        if result.errors and result.status != 404:  # past the last page: simply nothing
            message = "This search could not be run:\n" + "\n".join(result.problems) + "\n"
            return HttpResponse(message, status=result.status, content_type="text/plain")
        request.search_result = result
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request.search_result

    def title(self, result):
        described = _described(result)
        return f"Cluster Policy Toolkit: {described}" if described else "Cluster Policy Toolkit"

    def subtitle(self, result):
        return "The most recently updated cluster-policy practices matching this search."

    def link(self, result):
        return _with_search(reverse("practices:list"), result)

    def feed_url(self, result):
        return _with_search(reverse("practices:feed"), result)

    def items(self, result):
        return list(result.page) if result.page is not None else []

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        return f"{practice.country.name}. {practice.summary}"

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_pubdate(self, practice):
        return practice.created_at

    def item_categories(self, practice):
        return [tag.name for tag in (*practice.challenges.all(), *practice.priorities.all())]


def _with_search(path, result) -> str:
    """``path`` with the search's parameters, without the order the feed itself imposes."""
    params = result.params.copy()
    params.pop("sort", None)
    query = params.urlencode()
    return path + (f"?{query}" if query else "")


def _described(result) -> str:
    """The search in words: "Skills, Green transition, Denmark"."""
    parts = []
    if result.params.get("q"):
        parts.append(f"“{result.params['q']}”")
    for facet in result.facets:
        parts.extend(option.name for option in facet.selected)
    return ", ".join(parts) or "all practices"
