"""A practice as the tag suggester reads it: its words, the tags a curator gave it, and the
tags the import's fixed mapping proposes with the STIP code behind each."""

from dataclasses import dataclass, field

from curation.tagging.definitions import SUGGESTED
from practices.intake.stip.codebook import (
    PROPOSED_CHALLENGES,
    PROPOSED_PRIORITIES,
    PROPOSED_SUPPORT,
    theme_names,
)
from practices.models import Practice


@dataclass
class Document:
    slug: str
    title: str
    text: str
    origin: str = ""
    reviewed: bool = False
    tags: dict = field(default_factory=dict)  # parameter -> set of slugs a curator gave
    mapping: dict = field(default_factory=dict)  # parameter -> {slug: the code behind it}

    def decided(self, param: str) -> bool:
        """Whether the practice's values of ``param`` say what a curator decided: on a
        reviewed practice always (an empty taxonomy means "does not apply"); on another only
        when it has a value (an empty one may mean "not yet decided")."""
        return self.reviewed or bool(self.tags.get(param))


def text_of(practice) -> str:
    """The words the suggester reads: title, description, organisation, and
    the names of its instrument types and target groups (what STIP says the measure is)."""
    parts = [practice.title, practice.description, practice.organisation]
    parts += [instrument.name for instrument in practice.instrument_types.all()]
    parts += [group.name for group in practice.target_groups.all()]
    return "\n".join(part for part in parts if part)


def mapping_of(practice) -> dict:
    """{parameter: {slug: reason}} of the tags the STIP import's mapping proposes for this
    practice, from the STIP themes its source files it under and its instrument types' codes,
    each reason naming them; empty for a practice not from STIP."""
    if practice.origin != "stip":
        return {}
    themes = theme_names()
    instruments = {
        instrument.code: instrument.name for instrument in practice.instrument_types.all()
    }
    sources = {
        "challenge": (PROPOSED_CHALLENGES, set(practice.source_themes), "STIP theme", themes),
        "priority": (PROPOSED_PRIORITIES, set(practice.source_themes), "STIP theme", themes),
        "support": (PROPOSED_SUPPORT, set(instruments), "STIP instrument", instruments),
    }
    mapping = {}
    for param, (proposals, codes, kind, names) in sources.items():
        for slug, wanted in proposals.items():
            if behind := sorted(wanted & codes):
                named = ", ".join(f"{code} ({names.get(code, code)})" for code in behind)
                mapping.setdefault(param, {})[slug] = f"{kind} {named}"
    return mapping


def document_of(practice) -> Document:
    """The ``Document`` of a practice fetched with ``for_suggesting``."""
    return Document(
        slug=practice.slug,
        title=practice.title,
        text=text_of(practice),
        origin=practice.origin,
        reviewed=practice.is_reviewed,
        tags={
            param: {tag.slug for tag in getattr(practice, relation).all()}
            for param, relation in SUGGESTED.items()
        },
        mapping=mapping_of(practice),
    )


def for_suggesting(practices):
    """``practices`` with what ``document_of`` reads, in a fixed number of queries."""
    return practices.prefetch_related(*SUGGESTED.values(), "instrument_types", "target_groups")


def published_documents() -> list[Document]:
    """The published practices as documents: what the suggester learns from."""
    practices = for_suggesting(Practice.objects.published().order_by("slug"))
    return [document_of(practice) for practice in practices]
