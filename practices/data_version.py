"""The data version: a token in ``DataVersion`` that database triggers replace with a new
random value on every write to a table the search reads. In-memory facet indexes and cached
facet panels compare it to know they are current.

Migration 0005 created the first triggers. The tables are derived here from the models (the
practice, its tag tables, regions and every taxonomy of the registry), and ``ensure_triggers``
runs after every ``migrate``: a taxonomy added later is watched without a trigger written by
hand, and a trigger SQLite dropped with a table it remade (it remakes tables for many schema
changes) comes back.
"""

from django.db import connections

from practices.models import Practice, Region
from practices.search.registry import FACETS

# A fresh random token, not a counter: a rolled-back transaction restores the old value, and
# a counter would then hand out the same number again for different data. (PostgreSQL's
# triggers call the function of migration 0005, which does the same.)
_SQLITE_BUMP = "UPDATE practices_dataversion SET version = random() WHERE id = 1"
_SQLITE_EVENTS = ("insert", "update", "delete")


def watched_tables() -> list[str]:
    """Every table whose rows a search reads, counts or names."""
    models = [
        Practice,
        *(relation.remote_field.through for relation in Practice._meta.many_to_many),
        Region,
        *(spec.model for spec in FACETS if spec.model is not None),
    ]
    return list(dict.fromkeys(model._meta.db_table for model in models))


def ensure_triggers(using: str = "default") -> list[str]:
    """Create the missing triggers of ``watched_tables``; return the tables given one."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return []
    existing_tables = set(connection.introspection.table_names())
    if "practices_dataversion" not in existing_tables:
        return []  # migrated back before 0005
    created = []
    with connection.cursor() as cursor:
        for table in watched_tables():
            if table in existing_tables and _create_missing(connection, cursor, table):
                created.append(table)
    return created


def _create_missing(connection, cursor, table) -> bool:
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        name = f"{table}_bumps_version"
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s", [table, name]
        )
        if cursor.fetchone():
            return False
        cursor.execute(  # the function comes from migration 0005
            f"CREATE TRIGGER {connection.ops.quote_name(name)} AFTER INSERT OR UPDATE OR DELETE"
            f" OR TRUNCATE ON {quoted} FOR EACH STATEMENT"
            " EXECUTE FUNCTION practices_bump_data_version()"
        )
        return True
    names = [f"{table}_{event}_bumps_version" for event in _SQLITE_EVENTS]
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
        names,
    )
    if cursor.fetchone()[0] == len(names):
        return False
    for event, name in zip(_SQLITE_EVENTS, names, strict=True):
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {connection.ops.quote_name(name)}"
            f" AFTER {event.upper()} ON {quoted} BEGIN {_SQLITE_BUMP}; END"
        )
    return True
