"""Searches as the tests write them: the FilterSet of a search through the one selector."""

from practices.search.selector import search


def search_practices(params, **options):
    """The FilterSet of ``search(params)``: its ``qs`` holds every result in display order."""
    return search(params, page=None, **options).filterset
