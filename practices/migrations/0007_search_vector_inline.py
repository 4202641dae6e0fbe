"""Keep each practice's search vector in the table row on PostgreSQL (storage MAIN).

A row holds a description of about 2 kB and a vector of about 1.3 kB, over PostgreSQL's 2 kB
threshold, and by default the larger compressed value, the vector, moved to the TOAST table:
then every keyword search fetched each candidate's vector from there. Measured at 100,000
practices, ranking the 51,000 matches of one word took 480 ms that way and 75 ms with the
vectors in the rows; the description, read only for the ten practices of a page, moves out
instead.

Rows keep their old layout until rewritten, so the migration rewrites them (the trigger of
migration 0003 recomputes the vector): seconds for thousands of practices, about a minute
for 100,000. Nothing happens on other databases.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE practices_practice SET title = title;
"""

BACKWARD = """
ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE EXTENDED;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_sqlite_full_text"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
