"""Searches as the tests write them: the FilterSet of a search through the one selector, and
the slugs each way out (the HTML page, the API, the CSV export) returns."""

import csv
import io

from practices.search.selector import search


def search_practices(params, **options):
    """The FilterSet of ``search(params)``: its ``qs`` holds every result in display order."""
    return search(params, page=None, **options).filterset


def html_slugs(client, query):
    """Every result of the search page, page after page, in order."""
    slugs, page = [], 1
    while True:
        response = client.get(f"/practices/?{query}&page={page}")
        slugs += [practice.slug for practice in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return slugs
        page += 1


def api_slugs(client, query):
    """Every result of the API, following its ``next`` links."""
    slugs, url = [], f"/api/practices/?{query}&page_size=3"
    while url:
        body = client.get(url).json()
        slugs += [practice["slug"] for practice in body["results"]]
        url = body["next"]
    return slugs


def csv_slugs(client, query):
    body = b"".join(client.get(f"/practices/export.csv?{query}").streaming_content)
    return [
        row["slug"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    ]
