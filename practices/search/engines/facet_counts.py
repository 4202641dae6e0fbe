"""The facet counts of a search as the engines hand them out: {facet parameter: {value key:
count}}, each facet counted when first read. A page reads every facet; a table of counts
(/themes/) reads one facet of each of its rows' searches, and counts no other."""

from collections.abc import Callable


class FacetCounts(dict):
    def __init__(self, count_facet: Callable[[str], dict]):
        super().__init__()
        self._count_facet = count_facet

    def __missing__(self, param: str) -> dict:
        counts = self[param] = self._count_facet(param)
        return counts
