"""A practice as the tag suggester reads it: its words, the tags a curator gave it, and the
tags the import's fixed mapping proposes with the STIP code behind each."""

from dataclasses import dataclass, field

from curation.tagging.definitions import SUGGESTED
from practices.intake.stip.codebook import PROPOSED_SUPPORT
from practices.models import Practice

# What the STIP codebook calls the instrument types behind the proposed support types.
_INSTRUMENT_NAMES = {
    "PI021": "networking and collaborative platforms",
    "PI017": "technology extension and business advisory services",
    "PI014": "innovation vouchers",
    "PI031": "policy intelligence",
    "PI023": "information services and access to datasets",
}


@dataclass
class Document:
    slug: str
    title: str
    text: str
    origin: str = ""
    tags: dict = field(default_factory=dict)  # parameter -> set of slugs a curator gave
    mapping: dict = field(default_factory=dict)  # parameter -> {slug: the code behind it}

    def decided(self, param: str) -> bool:
        """Whether the practice's values of ``param`` say what a curator decided: until a
        practice carries a "reviewed" mark, an empty taxonomy may only mean "not yet decided",
        so only a practice with at least one value teaches or tests anything about it."""
        return bool(self.tags.get(param))


def text_of(practice) -> str:
    """The words the suggester reads: title, description, organisation, and
    the names of its instrument types and target groups (what STIP says the measure is)."""
    parts = [practice.title, practice.description, practice.organisation]
    parts += [instrument.name for instrument in practice.instrument_types.all()]
    parts += [group.name for group in practice.target_groups.all()]
    return "\n".join(part for part in parts if part)


def mapping_of(practice) -> dict:
    """{parameter: {slug: reason}} of the tags the STIP import's mapping proposes for this
    practice, from its instrument types' STIP codes; empty for a practice not from STIP."""
    if practice.origin != "stip":
        return {}
    codes = {instrument.code for instrument in practice.instrument_types.all()}
    support = {
        slug: "STIP instrument "
        + ", ".join(
            f"{code} ({_INSTRUMENT_NAMES.get(code, code)})" for code in sorted(wanted & codes)
        )
        for slug, wanted in PROPOSED_SUPPORT.items()
        if wanted & codes
    }
    return {"support": support} if support else {}


def document_of(practice) -> Document:
    """The ``Document`` of a practice fetched with ``for_suggesting``."""
    return Document(
        slug=practice.slug,
        title=practice.title,
        text=text_of(practice),
        origin=practice.origin,
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
