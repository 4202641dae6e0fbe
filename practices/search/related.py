"""Practices related to one another: those that share its strategic challenges, thematic
priorities and types of support, the closest text first among equals, each with the tags it
shares (why it is related)."""

from collections import defaultdict
from dataclasses import dataclass

from practices.models import Practice
from practices.search.facet_index.store import current_index
from practices.search.facets.registry import FACETS
from practices.search.keywords import SUGGESTIBLE_WORD

RELATIONS = ("challenges", "priorities", "support_types")
CANDIDATES = 40  # the most tags in common, compared then by their words


@dataclass(frozen=True)
class Related:
    practice: Practice
    shared: list  # the names of the tags both carry


def related_to(practice, count: int = 5) -> list[Related]:
    """Up to ``count`` published practices related to ``practice`` (whose ``<relation>_list``
    ``PracticeQuerySet.with_tags`` fetched), never itself."""
    tags = {name: [tag.pk for tag in getattr(practice, f"{name}_list")] for name in RELATIONS}
    if not any(tags.values()):
        return []
    database = practice._state.db or "default"
    candidate_ids = _most_shared(database, practice.pk, tags)
    if not candidate_ids:
        return []
    shared = _shared_names(database, practice, candidate_ids)
    candidates = Practice.objects.using(database).filter(pk__in=candidate_ids).published()
    own_words = _words(practice.search_document)

    def closeness(candidate):
        words = _words(candidate.search_document)
        overlap = len(own_words & words) / (len(own_words | words) or 1)
        return (len(shared[candidate.pk]), overlap, candidate.title)

    ranked = sorted(candidates.only("slug", "title", "search_document", "country"), key=closeness)
    return [Related(candidate, shared[candidate.pk]) for candidate in reversed(ranked)][:count]


def _words(search_document: str) -> set:
    """The words of a practice's texts, from the folded copy kept with it (folding forty
    descriptions again took most of a detail page's time)."""
    return set(SUGGESTIBLE_WORD.findall(search_document))


def _most_shared(database, practice_id, tags) -> list[int]:
    """The published practices with the most tags in common (then in title order), read
    from the search's in-memory index: for each number of tags in common, the bitset of the
    practices sharing at least that many, so no query counts links across the database (at
    100,000 practices that query took 150 ms)."""
    index = current_index(database)
    params = {spec.path: spec.param for spec in FACETS if not spec.kind.derived}
    tag_bits = [index.bits[params[name]].get(tag, 0) for name, ids in tags.items() for tag in ids]
    # at_least[n]: the practices sharing n or more of the tags
    at_least = [index.everything] + [0] * len(tag_bits)
    for bits in tag_bits:
        for shared in range(len(tag_bits), 0, -1):
            at_least[shared] |= at_least[shared - 1] & bits
    own = index.position_of(practice_id)
    outside = index.everything ^ (1 << own) if own is not None else index.everything
    found = []
    for shared in range(len(tag_bits), 0, -1):
        exactly = at_least[shared] & ~(at_least[shared + 1] if shared < len(tag_bits) else 0)
        found += index.in_title_order(exactly & outside, most=CANDIDATES - len(found))
        if len(found) >= CANDIDATES:
            break
    return [index.ids[position] for position in found]


def _shared_names(database, practice, candidate_ids) -> dict:
    shared = defaultdict(list)
    for name in RELATIONS:
        own = {tag.pk: tag.name for tag in getattr(practice, f"{name}_list")}
        if not own:
            continue
        relation = Practice._meta.get_field(name)
        links = relation.remote_field.through.objects.using(database)
        target = relation.m2m_reverse_field_name()
        rows = links.filter(
            **{"practice_id__in": candidate_ids, f"{target}__in": list(own)}
        ).values_list("practice_id", target)
        for candidate_id, tag_id in rows.order_by(target):
            shared[candidate_id].append(own[tag_id])
    return shared
