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

from practices.models import Practice, PracticeChange, Region
from practices.search.facets.registry import FACETS

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


# The change log (``PracticeChange``): which practices each write touched, logged by
# PostgreSQL a statement's rows at once (transition tables). SQLite, the embedded default,
# keeps no log: its index is rebuilt after each write.
CHANGE_TABLE = PracticeChange._meta.db_table
_PG_FUNCTIONS = {
    "practices_log_practice_rows": "SELECT DISTINCT id FROM changed_rows",
    "practices_log_tag_rows": "SELECT DISTINCT practice_id FROM changed_rows",
    "practices_log_everything": "SELECT NULL::bigint",
}


def change_logged_tables() -> dict[str, str]:
    """{table: the column holding the practice's id, or "" when any write may change what
    anything is (a region's typology; the log itself emptied)}."""
    tables = {Practice._meta.db_table: Practice._meta.pk.column}
    for relation in Practice._meta.many_to_many:
        tables[relation.m2m_db_table()] = relation.m2m_column_name()
    tables[Region._meta.db_table] = ""
    tables[CHANGE_TABLE] = ""
    return tables


def ensure_change_triggers(using: str = "default") -> list[str]:
    """Create the missing change-log triggers on PostgreSQL; return the tables given one."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    existing_tables = set(connection.introspection.table_names())
    if CHANGE_TABLE not in existing_tables:
        return []
    created = []
    with connection.cursor() as cursor:
        for name, rows in _PG_FUNCTIONS.items():
            cursor.execute(
                # names and statements are this module's constants
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"  # noqa: S608
                f" BEGIN INSERT INTO {CHANGE_TABLE} (practice_id, transaction)"
                f" SELECT changed.id, pg_current_xact_id()::text::bigint FROM ({rows})"
                " AS changed (id); RETURN NULL; END $$"
            )
        for table, column in change_logged_tables().items():
            if table in existing_tables and _create_pg_change_triggers(
                connection, cursor, table, column
            ):
                created.append(table)
    return created


def _create_pg_change_triggers(connection, cursor, table, column) -> bool:
    quote = connection.ops.quote_name
    prefix = f"{table}_logs"
    cursor.execute(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
        [table, f"{prefix}%"],
    )
    if cursor.fetchone()[0]:
        return False
    if table == CHANGE_TABLE:  # emptied wholesale (a flush): nothing an index read holds
        cursor.execute(
            f"CREATE TRIGGER {quote(prefix)} AFTER TRUNCATE ON {quote(table)}"
            " FOR EACH STATEMENT EXECUTE FUNCTION practices_log_everything()"
        )
        return True
    if not column:
        cursor.execute(
            f"CREATE TRIGGER {quote(prefix)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION practices_log_everything()"
        )
        return True
    function = (
        "practices_log_practice_rows"
        if table == Practice._meta.db_table
        else "practices_log_tag_rows"
    )
    for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        cursor.execute(
            f"CREATE TRIGGER {quote(f'{prefix}_{event.lower()}')} AFTER {event} ON {quote(table)}"
            f" REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT"
            f" EXECUTE FUNCTION {function}()"
        )
    cursor.execute(
        f"CREATE TRIGGER {quote(f'{prefix}_truncate')} AFTER TRUNCATE ON {quote(table)}"
        " FOR EACH STATEMENT EXECUTE FUNCTION practices_log_everything()"
    )
    return True
