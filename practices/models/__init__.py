"""A cluster-policy practice and the taxonomies that classify it, one module per concern;
this package re-exports every model, so ``practices.models.Practice`` is where it always was.

Taxonomies are rows, not code, so curators can add a value (a new territorial validity, say)
without a release. Single-valued taxonomies are PROTECTed foreign keys; the admin refuses to
delete a tag still carried by a practice (see ``TaxonomyAdmin``), so no curator's tagging is
lost by deleting a value.
"""

from practices.models.practice import PRACTICE_HISTORY, SUMMARY_LENGTH, Practice, PracticeManager
from practices.models.search_state import DataVersion, PracticeChange
from practices.models.suggestion import Suggestion
from practices.models.taxonomies import (
    BudgetRange,
    InstrumentType,
    Pillar,
    Recommendation,
    Region,
    RegionManager,
    StrategicChallenge,
    SupportType,
    TargetGroup,
    Taxonomy,
    TaxonomyManager,
    TerritorialValidity,
    ThematicPriority,
    Typology,
)

__all__ = [
    "PRACTICE_HISTORY",
    "SUMMARY_LENGTH",
    "BudgetRange",
    "DataVersion",
    "InstrumentType",
    "Pillar",
    "Practice",
    "PracticeChange",
    "PracticeManager",
    "Recommendation",
    "Region",
    "RegionManager",
    "StrategicChallenge",
    "Suggestion",
    "SupportType",
    "TargetGroup",
    "Taxonomy",
    "TaxonomyManager",
    "TerritorialValidity",
    "ThematicPriority",
    "Typology",
]
