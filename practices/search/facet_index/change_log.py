"""Reading the change log the triggers keep (``PracticeChange``; see ``triggers``): which
practices the writes since a snapshot touched, read by transaction so a late commit is never
missed, and pruning the log on a rebuild."""

from django.db import connections

from practices.models import PracticeChange

LONGEST_CHANGE_LOG = 20_000  # rows kept; a rebuild prunes the older ones


def position(using) -> str:
    """The snapshot a reader of the change log starting now has seen: a write it has not seen
    (running, or not begun) is read next time."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def changes_since(using, snapshot) -> tuple[set | None, str]:
    """(the ids of the practices changed by the transactions ``snapshot`` did not see, or None
    when anything may have changed; the snapshot of this read), in one statement, so from one
    snapshot. Only the transactions since the oldest one running then are looked at, through
    the index on ``transaction``; an entry read twice is applied twice, which changes
    nothing."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text,"  # noqa: S608
            f" array(SELECT DISTINCT coalesce(practice_id, -1) FROM {table_name(connection)}"
            " WHERE transaction >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
            " AND NOT pg_visible_in_snapshot(transaction::text::xid8, %s::pg_snapshot))",
            [snapshot, snapshot],
        )
        read_at, found = cursor.fetchone()
    changed = set(found)
    return (None if -1 in changed else changed), read_at


def prune(using):
    """Keep the change log short. An index that had not read what is deleted here finds the
    entry for "anything" written in its place, and rebuilds."""
    connection = connections[using]
    table = table_name(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        if cursor.fetchone()[0] <= LONGEST_CHANGE_LOG:
            return
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (practice_id, transaction)"  # noqa: S608
            " VALUES (NULL, pg_current_xact_id()::text::bigint)"
        )


def table_name(connection) -> str:
    return connection.ops.quote_name(PracticeChange._meta.db_table)
