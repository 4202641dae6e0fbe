"""Facets as a page shows them: beside every option of every filter, how many results
choosing it would give, whether it is chosen, and the query string that toggles it (the URL is
the whole state, as in Datasette). The numbers come from the engine of the search."""

from dataclasses import dataclass, field

from django.http import QueryDict

from practices.search.facets.registry import ANY, FACETS


@dataclass(frozen=True)
class FacetOption:
    slug: str
    name: str
    count: int
    selected: bool
    param: str
    params: QueryDict = field(repr=False, compare=False)  # the search it belongs to
    key: object = field(default=None, repr=False, compare=False)  # what the engine counts by

    @property
    def toggle_query(self) -> str:
        """The query string that adds or removes this option, page reset (made when asked:
        a panel of 170 options shows none of them)."""
        return _toggle(self.params, self.param, self.slug)


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    long: bool = False  # many options: shown folded until something in it is chosen
    switchable: bool = False  # all or any of the chosen values (``<param>_match``)
    any_of: bool = False  # the search asks for any of the chosen values
    # the options without results behind "show all" (``FacetSpec.fold_empty_options``)
    folds_empty: bool = False

    @property
    def selected(self):
        return [option for option in self.options if option.selected]

    @property
    def shown_first(self):
        """The options listed at once: all of them, or, where the facet folds the empty
        ones, those with results in this search and those chosen."""
        if not self.folds_empty:
            return self.options
        return [option for option in self.options if option.count or option.selected]

    @property
    def behind_show_all(self):
        """The options behind "show all": those without results, not chosen."""
        if not self.folds_empty:
            return []
        return [option for option in self.options if not (option.count or option.selected)]


def facet_list(engine, params: QueryDict) -> list[Facet]:
    """Every facet of a valid search, each option with its count (from ``engine``) and
    toggle link, in the registry's order."""
    facets = []
    for spec in FACETS:
        counts = engine.counts[spec.param]
        chosen = set(params.getlist(spec.param))
        facet = Facet(
            spec.param,
            spec.label,
            long=spec.long,
            switchable=spec.switchable,
            any_of=spec.switchable and params.get(spec.match_param) == ANY,
            folds_empty=spec.fold_empty_options,
        )
        known = set()
        for key, slug, name in spec.kind.options(spec, engine):
            known.add(slug)
            facet.options.append(
                FacetOption(slug, name, counts.get(key, 0), slug in chosen, spec.param, params, key)
            )
        for slug in sorted(chosen - known):  # a valid value no published practice carries yet
            name = spec.option_name(slug) if spec.model is None else slug
            facet.options.append(FacetOption(slug, name, 0, True, spec.param, params))
        facets.append(facet)
    return facets


def _toggle(params: QueryDict, param: str, slug: str) -> str:
    toggled = params.copy()
    values = toggled.getlist(param)
    toggled.setlist(param, [v for v in values if v != slug] if slug in values else [*values, slug])
    return toggled.urlencode()
