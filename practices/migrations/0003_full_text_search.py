"""Full-text search on PostgreSQL: a weighted, stemmed, unaccented search vector kept current
by a trigger (so bulk inserts, imports and the admin all update it), a GIN index on it, and a
trigram index on titles for "did you mean". Nothing happens on other databases."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION toolkit_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION practices_practice_search_vector_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', toolkit_unaccent(coalesce(NEW.title, ''))), 'A') ||
        setweight(to_tsvector('english', toolkit_unaccent(coalesce(NEW.original_title, ''))), 'B') ||
        setweight(to_tsvector('english', toolkit_unaccent(coalesce(NEW.description, ''))), 'C');
    RETURN NEW;
END $$;

CREATE TRIGGER practices_practice_search_vector
    BEFORE INSERT OR UPDATE OF title, original_title, description
    ON practices_practice FOR EACH ROW
    EXECUTE FUNCTION practices_practice_search_vector_update();

UPDATE practices_practice SET title = title;

CREATE INDEX practice_search_vector ON practices_practice USING gin (search_vector);
CREATE INDEX practice_title_trigram ON practices_practice USING gin (title gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS practice_title_trigram;
DROP INDEX IF EXISTS practice_search_vector;
DROP TRIGGER IF EXISTS practices_practice_search_vector ON practices_practice;
DROP FUNCTION IF EXISTS practices_practice_search_vector_update();
DROP FUNCTION IF EXISTS toolkit_unaccent(text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0002_practice_is_synthetic"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.AddField(
            model_name="practice",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
