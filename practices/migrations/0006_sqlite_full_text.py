"""Full-text search on SQLite: an FTS5 table of each practice's title, original title and
description (rowid = practice id), filled from the existing rows and kept current by triggers,
so bulk inserts, imports, raw SQL and the admin all update it, as migration 0003's trigger does
on PostgreSQL. ``practices.search.fulltext_sqlite`` queries it.

Nothing happens on PostgreSQL, nor on an SQLite built without FTS5 (or too old for
``remove_diacritics 2``): there ``PracticeQuerySet`` keeps its LIKE fallback.

The tokenizer lower-cases, strips accents and stems English words. The letters it leaves alone
but ``practices.search.keywords.fold`` changes (ligatures and stroked letters, Greek tonos, Cyrillic
й, ё, ї, ...) are replaced here, in SQL, with what ``fold`` makes of them, so writes need no
Python function registered on the connection. The values are spelled out rather than imported:
a migration must keep doing what it did when it was written.
"""

# ruff: noqa: S608 - every statement is built from this module's constants, never user input
from django.db import DatabaseError, migrations, transaction

TABLE = "practices_fts"
TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("title", "original_title", "description")
TRIGGERS = ("insert", "update", "delete")

# Each letter unicode61 does not fold as fold() does, and fold()'s result. Found by tokenizing
# every letter of U+00C0-U+024F, U+0370-U+052F and U+1E00-U+1EFF and the ff/fi/fl ligatures
# with both and keeping those in use in European languages; rarer ones (Latin digraphs such as
# U+01C6, polytonic Greek, Cyrillic of Russia's minority languages) still differ.
FOLDED_LETTERS = {
    "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss",
    "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    "ĳ": "ij", "Ĳ": "ij", "ŀ": "l·", "Ŀ": "l·",
    "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
    "ά": "α", "Ά": "α", "έ": "ε", "Έ": "ε", "ή": "η", "Ή": "η", "ί": "ι", "Ί": "ι",
    "ό": "ο", "Ό": "ο", "ύ": "υ", "Ύ": "υ", "ώ": "ω", "Ώ": "ω", "ϊ": "ι", "Ϊ": "ι",
    "ϋ": "υ", "Ϋ": "υ", "ΐ": "ι", "ΰ": "υ",
    "й": "и", "Й": "и", "ё": "е", "Ё": "е", "ї": "і", "Ї": "і", "ў": "у", "Ў": "у",
    "ѓ": "г", "Ѓ": "г", "ќ": "к", "Ќ": "к", "ѐ": "е", "Ѐ": "е", "ѝ": "и", "Ѝ": "и",
}  # fmt: skip


# SQLite's parser allows about 30 nested calls, so the replacements run in steps of at most
# STEP_SIZE, each a subquery over the step before; each step names the text once, so SQLite
# flattens the steps into one expression without copying any.
STEP_SIZE = 11


def folded(column: str) -> str:
    """SQL for ``column`` with FOLDED_LETTERS replaced. Text with none of them (one GLOB scan)
    is taken as it is."""
    letters = list(FOLDED_LETTERS.items())
    steps = f"SELECT {column} AS text"
    for start in range(0, len(letters), STEP_SIZE):
        replaced = "text"
        for letter, replacement in letters[start : start + STEP_SIZE]:
            replaced = f"replace({replaced}, '{letter}', '{replacement}')"
        steps = f"SELECT {replaced} AS text FROM ({steps})"
    return (
        f"CASE WHEN {column} GLOB '*[{''.join(FOLDED_LETTERS)}]*' THEN ({steps}) ELSE {column} END"
    )


def values_of(row: str) -> str:
    return ", ".join(folded(f"{row}.{column}") for column in COLUMNS)


def _changed(column: str) -> str:
    return f"old.{column} IS NOT new.{column}"


COLUMN_LIST = ", ".join(COLUMNS)
FORWARD = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLUMN_LIST}, tokenize = '{TOKENIZER}')",
    f"INSERT INTO {TABLE} (rowid, {COLUMN_LIST}) "
    f"SELECT practice.id, {values_of('practice')} FROM practices_practice AS practice",
    f"CREATE TRIGGER practices_practice_fts_insert AFTER INSERT ON practices_practice BEGIN "
    f"INSERT INTO {TABLE} (rowid, {COLUMN_LIST}) VALUES (new.id, {values_of('new')}); END",
    # Only when the searched text (or the id) really changes: publishing or a save that leaves
    # the text alone does not re-index the row.
    f"CREATE TRIGGER practices_practice_fts_update "
    f"AFTER UPDATE OF id, {COLUMN_LIST} ON practices_practice "
    f"WHEN {' OR '.join(_changed(column) for column in ('id', *COLUMNS))} BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; "
    f"INSERT INTO {TABLE} (rowid, {COLUMN_LIST}) VALUES (new.id, {values_of('new')}); END",
    f"CREATE TRIGGER practices_practice_fts_delete AFTER DELETE ON practices_practice BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; END",
]
BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS practices_practice_fts_{event}" for event in TRIGGERS),
    f"DROP TABLE IF EXISTS {TABLE}",
]


def fts5_available(connection) -> bool:
    """Whether ``connection`` is SQLite with FTS5 and the tokenizer options used here: try
    creating a temporary table (in a savepoint, so a failure leaves the migration's
    transaction as it was)."""
    if connection.vendor != "sqlite":
        return False
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE temp.{TABLE}_probe "
                f"USING fts5(body, tokenize = '{TOKENIZER}')"
            )
            cursor.execute(f"DROP TABLE temp.{TABLE}_probe")
    except DatabaseError:
        return False
    return True


def create_search_index(apps, schema_editor):
    if not fts5_available(schema_editor.connection):
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0005_data_version"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
    ]
