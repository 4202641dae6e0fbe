"""A valid search as a value: what the engines evaluate (``PracticeFilter.criteria`` makes it)."""

from dataclasses import dataclass

from practices.search.keywords import Keywords


@dataclass(frozen=True)
class Criteria:
    keywords: Keywords
    selected: dict  # facet parameter -> the keys chosen (taxonomy ids, country codes)
    sort: str  # "" (relevance with keywords, else title), "title", "-updated" or "country"
    any_of: frozenset = frozenset()  # the multi-valued facets asked for any chosen value

    def conjoined(self, spec) -> bool:
        """Whether every chosen value of the facet is required (else any one matches)."""
        return spec.multi_valued and spec.param not in self.any_of

    @property
    def in_index_order(self) -> bool:
        """Sorted by relevance (or title, without keywords) or by title: orders the facet
        index keeps."""
        return self.sort in ("", "title")
