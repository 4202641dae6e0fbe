"""Practices related to one another: those that share its strategic challenges, thematic
priorities and types of support, the closest text first among equals, each with the tags it
shares (why it is related)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connections

from practices.models import Practice
from practices.search.keywords import words_of

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
    own_words = set(words_of(f"{practice.title} {practice.description}"))

    def closeness(candidate):
        words = set(words_of(f"{candidate.title} {candidate.description}"))
        overlap = len(own_words & words) / (len(own_words | words) or 1)
        return (len(shared[candidate.pk]), overlap, candidate.title)

    ranked = sorted(candidates.only("slug", "title", "description", "country"), key=closeness)
    return [Related(candidate, shared[candidate.pk]) for candidate in reversed(ranked)][:count]


def _most_shared(database, practice_id, tags) -> list[int]:
    """The published practices with the most tags in common, in one aggregate query."""
    connection = connections[database]
    quote = connection.ops.quote_name
    practice_table = quote(Practice._meta.db_table)
    id_column = quote(Practice._meta.pk.column)
    published = quote(Practice._meta.get_field("is_published").column)
    selects, parameters = [], []
    for name, ids in tags.items():
        if not ids:
            continue
        relation = Practice._meta.get_field(name)
        selects.append(
            f"SELECT {quote(relation.m2m_column_name())} AS practice_id"  # noqa: S608
            f" FROM {quote(relation.m2m_db_table())}"
            f" WHERE {quote(relation.m2m_reverse_name())} IN ({', '.join(['%s'] * len(ids))})"
        )
        parameters.extend(ids)
    sql = (
        "SELECT links.practice_id FROM ("  # noqa: S608 - names from the models, quoted
        + " UNION ALL ".join(selects)
        + f") AS links JOIN {practice_table} AS p ON p.{id_column} = links.practice_id"
        f" WHERE p.{published} AND links.practice_id <> %s"
        " GROUP BY links.practice_id ORDER BY count(*) DESC, links.practice_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parameters, practice_id, CANDIDATES])
        return [row[0] for row in cursor.fetchall()]


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
