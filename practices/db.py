"""Database helpers the layers above share: plain-SQL reads by id, and longer statement limits
for the work that needs them, inside its own transaction.

A web request's statements are cancelled after ``STATEMENT_TIMEOUT_MS`` (see settings); an
export or an import in the admin reads or writes far more, and gets a longer limit of its own
for its transaction only (``SET LOCAL``). Nothing to do on SQLite, which has no such limit.
"""

from django.conf import settings
from django.db import connections


def allow_statements_for(milliseconds: int, using: str = "default"):
    """Let the statements of the current transaction run up to ``milliseconds`` each."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("a longer statement limit applies to a transaction only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)])


def for_an_import(using: str = "default"):
    allow_statements_for(settings.IMPORT_STATEMENT_TIMEOUT_MS, using)


def rows_where_in(database, table, columns, key, values):
    """``SELECT columns FROM table WHERE key IN values`` in plain SQL: for batches of 2,000 ids
    the ORM's per-value preparation, and on PostgreSQL the parsing of a long IN list, cost
    more than the query. Table and column names come from the models and are quoted."""
    connection = connections[database]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        membership, parameters = "= ANY(%s)", [list(values)]
    else:
        membership, parameters = f"IN ({', '.join(['%s'] * len(values))})", list(values)
    selected = ", ".join(map(quote, columns))
    sql = f"SELECT {selected} FROM {quote(table)} WHERE {quote(key)} {membership}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
