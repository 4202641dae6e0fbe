"""Every facet of the search, declared once.

A facet is something a practice can be filtered by and counted on: its URL parameter, where
it lives on ``Practice``, its label, its CSV column, and how its options are listed. The
FilterSet, the facet counts (in SQL and in the in-memory index), the data-version triggers,
the CSV export and import, the API's fields, the admin's filters and form, the synthetic
generator and "did you mean" all read this list. Adding a taxonomy held as tags (a
many-to-many field) or as one value (a foreign key) of the practice is a model (with the tag
field in ``Practice.history``'s ``m2m_fields``), a migration, its values in
``fixtures/taxonomies.json`` and one entry here. A facet stored another way (``FIELD``,
``THROUGH``) needs its columns written by the export and the import.

The search rule follows from ``multi_valued``: a practice may carry several values of a
multi-valued facet (tags), and every selected value is then required (AND) unless the search
asks for any of them (``<param>_match=any``, see ``switchable``); a single-valued facet holds
one value per practice, and any selected value matches (OR).

This module imports only the models; everything that reads it lives below it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from practices.country_groups import country_groups
from practices.csv_format import COLUMNS
from practices.models import (
    BudgetRange,
    InstrumentType,
    Practice,
    Recommendation,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)
from practices.search.facets.kinds import (
    CHOICE,
    FIELD,
    FIXED,
    GROUPS,
    SPAN,
    TAGS,
    THROUGH,
    FacetKind,
)

# How a facet's values are stored decides how it is filtered, counted, listed, documented and
# written; each way is a class of ``kinds`` (re-exported here: ``of_kind(TAGS)``).
__all__ = ["CHOICE", "FIELD", "FIXED", "GROUPS", "SPAN", "TAGS", "THROUGH", "FacetKind"]


@dataclass(frozen=True)
class FacetSpec:
    param: str  # the URL parameter, also the key of the API's facets
    path: str  # from Practice, as the ORM spells it: "challenges", "region__typology"
    label: str  # a lazy translation: read in the language of the page
    csv_column: str | None  # None: written through other columns (a span's start and end)
    model: type[models.Model] | None = None  # the taxonomy; None for a field with choices
    multi_valued: bool = False
    long: bool = False  # many options: the page shows them folded until one is chosen
    # many options, few with results in a narrow search: those without come behind "show all"
    fold_empty_options: bool = False
    csv_by_slug: bool = False  # the CSV cell holds slugs, not names
    csv_names_column: str = ""  # with csv_by_slug: the column of the names beside the slugs
    # its columns written and read by the exchange's own code (the country, with its name)
    csv_by_hand: bool = False
    options_by_name: bool = False  # options sorted by name, else in the taxonomy's order
    # For a plain field of a few values: (slug in URLs and CSV, stored value, label) of each.
    fixed_values: tuple[tuple[str, object, str], ...] = ()
    # For a span: the field that ends it (``path`` starts it); empty means "still running".
    end_path: str = ""
    # For groups of another facet's values (country groups): the groups, each with its slug,
    # name and the stored ``codes`` it stands for; and the parameter of the facet grouped,
    # whose field is ``path``.
    groups: Callable[[], tuple] | None = None
    groups_of: str = ""

    @cached_property
    def kind(self) -> FacetKind:
        """How its values are stored (``kinds``), told from its declaration and its field."""
        if self.groups is not None:
            return GROUPS
        if self.end_path:
            return SPAN
        if "__" in self.path:
            return THROUGH
        if self.fixed_values:
            return FIXED
        field = Practice._meta.get_field(self.path)
        if field.many_to_many:
            return TAGS
        if field.many_to_one:
            return CHOICE
        return FIELD

    def url_values(self) -> list[str]:
        """Every value its URL parameter may carry (the API, the forgiving reader and the
        data page's column list read this)."""
        return self.kind.url_values(self)

    @property
    def field(self):
        """The field of Practice this facet is stored in (the first step of ``path``)."""
        return Practice._meta.get_field(self.path.split("__")[0])

    @property
    def switchable(self) -> bool:
        """Whether a search may ask for any of the chosen values instead of all of them
        (``<param>_match=any``): the facets of tags."""
        return self.kind == TAGS

    @property
    def match_param(self) -> str:
        return f"{self.param}_match"

    def option_name(self, value) -> str:
        """How an option reads in a list: its ``facet_label`` (a recommendation's number and
        name, say) or, for a field with choices, the choice's name."""
        if self.model is None:
            return str(self._choice_names(get_language()).get(value, value))
        return value.facet_label

    def stored(self, slug):
        """The value a fixed-value facet stores for ``slug`` (``evaluated=yes`` -> True)."""
        return {value_slug: value for value_slug, value, _ in self.fixed_values}[slug]

    def members(self, slugs) -> frozenset:
        """The stored values the chosen groups of a group facet stand for, together."""
        chosen = set(slugs)
        return frozenset().union(*(g.codes for g in self.groups() if g.slug in chosen))

    def slug_of(self, value) -> str:
        """The slug of a stored value of a fixed-value facet; "" for none (unknown)."""
        return {value: value_slug for value_slug, value, _ in self.fixed_values}.get(value, "")

    def _choice_names(self, language: str) -> dict:
        """The names of its values in ``language``, worked out once per language: a field's
        choices (a country's name) are made strings as they are listed, so a list kept for
        every language would keep the language of whoever asked first in this process."""
        names = self._choice_names_by_language
        if language not in names:
            if self.fixed_values:
                names[language] = {value: str(label) for _, value, label in self.fixed_values}
            elif self.groups is not None:
                names[language] = {group.slug: str(group.name) for group in self.groups()}
            else:  # a span's years have no names but themselves
                names[language] = {value: str(name) for value, name in self.field.choices or ()}
        return names[language]

    @cached_property
    def _choice_names_by_language(self) -> dict:
        return {}


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec(
        "territorial_validity",
        "territorial_validity",
        _("Territorial validity"),
        "territorial_validity",
        TerritorialValidity,
    ),
    FacetSpec(
        "challenge",
        "challenges",
        _("Strategic challenges"),
        "strategic_challenges",
        StrategicChallenge,
        multi_valued=True,
    ),
    FacetSpec(
        "priority",
        "priorities",
        _("Thematic priority"),
        "thematic_priorities",
        ThematicPriority,
        multi_valued=True,
    ),
    FacetSpec(
        "support",
        "support_types",
        _("Type of cluster support"),
        "cluster_support",
        SupportType,
        multi_valued=True,
    ),
    FacetSpec(
        "recommendation",
        "recommendations",
        _("Expert-group recommendation"),
        "recommendations",
        Recommendation,
        multi_valued=True,
        long=True,
        csv_by_slug=True,
        csv_names_column="recommendation_names",
    ),
    FacetSpec("typology", "region__typology", _("Region typology"), "typology", Typology),
    # Before the countries: a group is the broader choice. Its CSV column is written for
    # readers and ignored by the import (the country says it all).
    FacetSpec(
        "country_group",
        "country",
        _("Country group"),
        "country_groups",
        groups=country_groups,
        groups_of="country",
    ),
    FacetSpec(
        "country",
        "country",
        _("Country"),
        "country",
        long=True,
        fold_empty_options=True,
        options_by_name=True,
        csv_by_hand=True,
    ),
    FacetSpec(
        "instrument",
        "instrument_types",
        _("Type of instrument"),
        "instrument_types",
        InstrumentType,
        multi_valued=True,
        long=True,
    ),
    FacetSpec(
        "target_group",
        "target_groups",
        _("Target group"),
        "target_groups",
        TargetGroup,
        multi_valued=True,
        long=True,
    ),
    FacetSpec("budget", "budget_range", _("Yearly budget"), "budget_range", BudgetRange),
    FacetSpec(
        "evaluated",
        "evaluated",
        _("Evaluated"),
        "evaluated",
        fixed_values=(("yes", True, _("Yes")), ("no", False, _("No"))),
    ),
    # A practice is active in year Y when it starts in Y or before and ends in Y or later (or
    # has no end). Several years: active in each of them.
    FacetSpec(
        "year",
        "start_year",
        _("Active in year"),
        None,
        multi_valued=True,
        long=True,
        end_path="end_year",
    ),
)
PARAMS: tuple[str, ...] = tuple(spec.param for spec in FACETS)
ALL, ANY = "all", "any"  # the values of a switchable facet's ``<param>_match``
# Every parameter a search reads of the facets, in the page's order: each facet, and after a
# facet of tags how its chosen values combine.
FACET_QUERY_PARAMS: tuple[str, ...] = tuple(
    name
    for spec in FACETS
    for name in ((spec.param, spec.match_param) if spec.switchable else (spec.param,))
)


# The CSV's columns: the exchange format's (``csv_format.COLUMNS``), then the column of each
# facet added to the registry since, in the registry's order. Columns are only ever appended,
# so no column a reader relies on moves.
def csv_columns(facets) -> tuple[str, ...]:
    later = [spec.csv_column for spec in facets if spec.csv_column not in (None, *COLUMNS)]
    return (*COLUMNS, *later)


CSV_COLUMNS: tuple[str, ...] = csv_columns(FACETS)


def with_fixed_values() -> list[FacetSpec]:
    """The facets of a plain field of a few values (evaluated), in the registry's order."""
    return of_kind(FIXED)


def field_facets() -> list[FacetSpec]:
    """The facets of a plain field with choices whose CSV column holds the stored value as it
    is (all but those written by hand, like the country)."""
    return [spec for spec in of_kind(FIELD) if not spec.csv_by_hand]


def of_kind(kind: FacetKind) -> list[FacetSpec]:
    """The facets stored in one way (``TAGS``, ``CHOICE``, ...), in the registry's order."""
    return [spec for spec in FACETS if spec.kind == kind]
