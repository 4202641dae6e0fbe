"""The CSV export written by PostgreSQL: every finished line (names, formula neutralisation,
quoting) made in one statement and read through a server-side cursor, so Python only joins
the lines. At 100,000 practices that is 1.7 to 1.9 times as fast as building the cells in
Python (``bench/export_csv.py``); tests hold both writers byte-identical.

``exports.postgresql_csv_batches`` decides when this writer applies (``fits``).
"""

from django.conf import settings
from django.db import connections, transaction
from psycopg.adapt import Loader

from practices.csv_format import (
    FORMULA_STARTS,
    LIST_SEPARATOR,
    PLAIN_COLUMNS,
    YEAR_COLUMNS,
    csv_line,
    neutralise_cell,
)
from practices.exchange.labels import Labels
from practices.models import Practice
from practices.search.facets.registry import CSV_COLUMNS

# For the transaction of the export only. Measured at 100,000 practices on the 2-core
# benchmark server: compiling the statement (JIT) and parallel workers for the tag sets made
# it slower, not faster; one export need not take more than one core.
_STATEMENT_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}
# Bits 0 to 62 of a bigint, short of the sign bit: one per value of a taxonomy.
MOST_TAGS_IN_A_SET = 63


def fits(labels: Labels) -> bool:
    """Whether every taxonomy of tags fits the bigint that carries a practice's set of tags
    (see ``_csv_lines_sql``)."""
    return all(len(tags) <= MOST_TAGS_IN_A_SET for tags in labels.tags.values())


# Lines handed over by the server-side cursor at a time: at 2,000 (4.6 MB of lines, held
# twice while joined) the worker's peak grew 42 MB during an export of 100,000 practices, at
# 500 it grows 21 MB, at the same speed (bench/export_csv.py, 2026-11-30).
LINES_PER_FETCH = 500


def csv_batches(practices, labels: Labels, *, url_prefix: str):
    """Yield the practices of the queryset, in its order, as UTF-8 CSV: one piece of
    ``LINES_PER_FETCH`` lines at a time.

    The search runs once for the ordered ids. One statement then writes every line, and a
    server-side cursor hands the lines over a batch at a time (so memory stays flat) as the
    UTF-8 bytes PostgreSQL sends. The cursor lives in a transaction, as Django advises for
    server-side cursors behind a transaction-pooling proxy.
    """
    ordered_ids = list(practices.values_list("pk", flat=True))
    if not ordered_ids:
        return
    connection = connections[practices.db]
    parameters = _csv_lines_parameters(labels, ordered_ids)
    parameters["url_prefix"] = url_prefix
    statement_settings = {
        **_STATEMENT_SETTINGS,
        # the export's own limit, longer than a page's (see settings)
        "statement_timeout": str(settings.EXPORT_STATEMENT_TIMEOUT_MS),
    }
    with transaction.atomic(using=practices.db):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, setting, true)"
                " FROM unnest(%s::text[], %s::text[]) AS settings (name, setting)",
                [list(statement_settings), list(statement_settings.values())],
            )
        with connection.chunked_cursor() as cursor:
            cursor.cursor.adapters.register_loader("text", _Utf8Bytes)
            cursor.execute(_csv_lines_sql(labels, connection.ops.quote_name), parameters)
            while lines := cursor.fetchmany(LINES_PER_FETCH):
                yield b"".join(line for (line,) in lines)


class _Utf8Bytes(Loader):
    """Text as the bytes PostgreSQL sends, in the client encoding Django sets (UTF-8): the
    lines go to the response without being decoded here and encoded again."""

    def load(self, data):
        return bytes(data)


def _finished_cells(*values):
    """Cells as they appear in a line, neutralised and quoted, joined by commas."""
    return csv_line([neutralise_cell(value) for value in values]).removesuffix("\r\n")


def _csv_lines_parameters(labels, ordered_ids):
    """The values of the statement of ``_csv_lines_sql``. Names that many practices share
    (the values of single-valued facets, regions, countries) arrive as finished cells, made
    once here by the functions of the Python path."""
    parameters = {
        # One array literal: as a list, psycopg would inspect each of 100,000 numbers, once
        # for each place the statement names them.
        "ids": "{" + ",".join(map(str, ordered_ids)) + "}",
        "formula_starts": [ord(start) for start in FORMULA_STARTS],
        "formula_starts_or_apostrophe": [ord(start) for start in (*FORMULA_STARTS, "'")],
        "list_separator": LIST_SEPARATOR,
        "region_ids": list(labels.regions),
        "region_cells": [_finished_cells(*region) for region in labels.regions.values()],
        "no_region_cells": _finished_cells("", "", ""),
        "country_codes": list(labels.country_names),
        "country_cells": [_finished_cells(name) for name in labels.country_names.values()],
    }
    for spec in labels.group_facets:
        names = labels.group_names[spec.param]
        parameters[f"{spec.param}_values"] = list(names)
        parameters[f"{spec.param}_cells"] = [_finished_cells(cell) for cell in names.values()]
    for spec in labels.choice_facets:
        names = labels.choices[spec.param]
        parameters[f"{spec.param}_ids"] = list(names)
        parameters[f"{spec.param}_cells"] = [_finished_cells(name) for name in names.values()]
    for spec in labels.tag_facets:
        by_position = sorted(labels.tags[spec.param].items(), key=lambda tag: tag[1][0])
        parameters[f"{spec.param}_ids"] = [tag_id for tag_id, _ in by_position]
        parameters[f"{spec.param}_labels"] = [label for _, (_, label) in by_position]
        parameters[f"{spec.param}_bits"] = [1 << position for _, (position, _) in by_position]
        if spec.csv_names_column:
            names = labels.tag_names[spec.csv_names_column]
            parameters[f"{spec.param}_names"] = [names[tag_id][1] for tag_id, _ in by_position]
    return parameters


def _csv_lines_sql(labels, quote):
    """One CSV line per id of ``%(ids)s``, in that order. Table and column names come from
    the models, quoted; facet parameters are the registry's identifiers; every value is a
    parameter (``_csv_lines_parameters``).

    A practice's tags of one taxonomy become one bigint, with the bit of each tag's position
    set, so the labels of each distinct set of tags are joined and quoted once, not once per
    practice: joining them in order per practice made the statement nearly twice as slow at
    100,000 practices.
    """
    practice = _column_namer(Practice, quote)
    tag_link_selects = []
    tag_set_masks = []
    tag_cell_tables = []
    tag_joins = []
    for number, spec in enumerate(labels.tag_facets):
        relation, name = spec.field, spec.param
        tag_link_selects.append(
            f"SELECT link.{quote(relation.m2m_column_name())} AS practice_id,"  # noqa: S608
            f" {number} AS relation, tag.bit"
            f" FROM {quote(relation.m2m_db_table())} AS link"
            f" JOIN unnest(%({name}_ids)s::bigint[], %({name}_bits)s::bigint[])"
            f" AS tag (id, bit) ON tag.id = link.{quote(relation.m2m_reverse_name())}"
        )
        tag_set_masks.append(f"bit_or(bit) FILTER (WHERE relation = {number}) AS {name}")
        tag_cell_tables.append(_tag_cells_sql(f"{name}_cells", name, f"{name}_labels"))
        tag_joins.append(f"LEFT JOIN {name}_cells ON {name}_cells.tag_set = tag_sets.{name}")
        if spec.csv_names_column:  # the names beside the slugs, from the same tag sets
            tag_cell_tables.append(_tag_cells_sql(f"{name}_name_cells", name, f"{name}_names"))
            tag_joins.append(
                f"LEFT JOIN {name}_name_cells ON {name}_name_cells.tag_set = tag_sets.{name}"
            )
    choice_joins = [
        f" LEFT JOIN unnest(%({spec.param}_ids)s::bigint[], %({spec.param}_cells)s::text[])"
        f" AS {spec.param}_choices (id, cell)"
        f" ON {spec.param}_choices.id = p.{practice(spec.path)}"
        for spec in labels.choice_facets
    ]
    # the groups of the country (the one facet grouped), as finished cells
    group_joins = [
        f" LEFT JOIN unnest(%({spec.param}_values)s::text[], %({spec.param}_cells)s::text[])"
        f" AS {spec.param}_groups (value, cell)"
        f" ON {spec.param}_groups.value = p.{practice(spec.path)}"
        for spec in labels.group_facets
    ]
    # A copy (`|| ''`) of the description, made in a subquery kept whole by OFFSET 0: the
    # cell expression reads the value several times, and would otherwise decompress the
    # stored description each time.
    cells = (
        "SELECT wanted.ordinal,"  # noqa: S608
        f" p.{practice('slug')} AS slug,"
        f" p.{practice('title')} AS title,"
        f" p.{practice('original_title')} AS original_title,"
        f" p.{practice('description')} || '' AS description,"
        f" p.{practice('country')} AS country,"
        " country_names.cell AS country_name,"
        + "".join(f" {spec.param}_choices.cell AS {spec.param}," for spec in labels.choice_facets)
        + "".join(f" {spec.param}_cells.cell AS {spec.param}," for spec in labels.tag_facets)
        + "".join(
            f" {spec.param}_name_cells.cell AS {spec.csv_names_column},"
            for spec in labels.named_facets
        )
        + "".join(
            f" {_fixed_value_cell(spec, practice)} AS {spec.param}," for spec in labels.fixed_facets
        )
        + "".join(f" p.{practice(spec.path)} AS {spec.param}," for spec in labels.field_facets)
        + "".join(f" {spec.param}_groups.cell AS {spec.param}," for spec in labels.group_facets)
        + " coalesce(regions.cells, %(no_region_cells)s) AS region,"
        f" p.{practice('link')} AS link,"
        + "".join(f" p.{practice(column)} AS {column}," for column in PLAIN_COLUMNS)
        + f" to_char((p.{practice('updated_at')} AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')"
        " AS updated"
        " FROM wanted"
        f" JOIN {quote(Practice._meta.db_table)} AS p ON p.{practice('id')} = wanted.id"
        f" LEFT JOIN tag_sets ON tag_sets.practice_id = p.{practice('id')}"
        f" {' '.join(tag_joins)}"
        f"{''.join(choice_joins)}"
        f"{''.join(group_joins)}"
        " LEFT JOIN unnest(%(region_ids)s::bigint[], %(region_cells)s::text[])"
        f" AS regions (id, cells) ON regions.id = p.{practice('region')}"
        " LEFT JOIN unnest(%(country_codes)s::text[], %(country_cells)s::text[])"
        f" AS country_names (code, cell) ON country_names.code = p.{practice('country')}"
        " OFFSET 0"
    )
    line = _line_cells(labels)
    cell_separator = ", ',', "
    return (
        "WITH wanted AS ("  # noqa: S608 (names from the models, quoted; values are parameters)
        "SELECT id, ordinal FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS wanted (id, ordinal)"
        "), tag_sets AS ("
        f"SELECT practice_id, {', '.join(tag_set_masks)}"
        f" FROM ({' UNION ALL '.join(tag_link_selects)}) AS links"
        " WHERE practice_id = ANY(%(ids)s::bigint[]) GROUP BY practice_id"
        f"), {', '.join(tag_cell_tables)}"
        f" SELECT concat({cell_separator.join(line)}, chr(13), chr(10))"
        f" FROM ({cells}) AS practice ORDER BY practice.ordinal"
    )


def _tag_cells_sql(table, name, labels_parameter) -> str:
    """A table of the finished cell of each distinct set of ``name`` tags, its labels taken
    from the array parameter ``labels_parameter``."""
    return (
        f"{table} AS ("  # noqa: S608
        f"SELECT tag_set, {_csv_cell_sql('labels')} AS cell FROM ("
        "SELECT tag_sets.tag_set, ("
        "SELECT string_agg(tag.label, %(list_separator)s ORDER BY tag.bit)"
        f" FROM unnest(%({labels_parameter})s::text[], %({name}_bits)s::bigint[])"
        " AS tag (label, bit) WHERE tag_sets.tag_set & tag.bit <> 0"
        f") AS labels FROM (SELECT DISTINCT {name} AS tag_set FROM tag_sets"
        f" WHERE {name} IS NOT NULL) AS tag_sets"
        # OFFSET 0 keeps the subquery whole, so the labels are joined once, not once
        # for each time the cell expression names them
        " OFFSET 0) AS labelled)"
    )


def _line_cells(labels) -> list[str]:
    """The SQL of each finished cell of a line, in the order of ``CSV_COLUMNS``. The region's
    three columns (code, name, typology) come as one finished piece."""
    by_column = {
        **{
            column: _csv_cell_sql(column)
            for column in ("slug", "title", "original_title", "description", "country")
        },
        # the code itself stands in for a country django_countries does not know
        "country_name": f"coalesce(country_name, {_csv_cell_sql('country')})",
        **{spec.csv_column: f"coalesce({spec.param}, '')" for spec in labels.choice_facets},
        **{spec.csv_column: f"coalesce({spec.param}, '')" for spec in labels.tag_facets},
        **{
            spec.csv_names_column: f"coalesce({spec.csv_names_column}, '')"
            for spec in labels.named_facets
        },
        "url": _csv_cell_sql("(%(url_prefix)s::text || slug || '/')"),
        **{spec.csv_column: spec.param for spec in labels.fixed_facets},
        **{spec.csv_column: _csv_cell_sql(spec.param) for spec in labels.field_facets},
        **{spec.csv_column: f"coalesce({spec.param}, '')" for spec in labels.group_facets},
        "region_code": "region",
        "link": _csv_cell_sql("link"),
        "updated": "updated",  # an ISO date: never starts like a formula, never needs quotes
        **{
            column: f"coalesce({column}::text, '')"  # digits only
            if column in YEAR_COLUMNS
            else _csv_cell_sql(column)
            for column in PLAIN_COLUMNS
        },
    }
    return [by_column[column] for column in CSV_COLUMNS if column in by_column]


def _fixed_value_cell(spec, practice) -> str:
    """The slug of a fixed-value facet's stored value, "" for none. The slugs are the
    registry's identifiers (letters and hyphens) and the values booleans, so both are written
    into the statement."""
    cases = " ".join(
        f"WHEN p.{practice(spec.path)} = {str(value).upper()} THEN '{slug}'"
        for slug, value, _ in spec.fixed_values
    )
    return f"CASE {cases} ELSE '' END"


def _column_namer(model, quote):
    def column(field_name):
        return quote(model._meta.get_field(field_name).column)

    return column


def _csv_cell_sql(value):
    """SQL for ``_csv_cell(neutralise_cell(value))`` of ``practices.csv_format``. The
    apostrophe that neutralising prepends never calls for quotes, so it goes inside them."""
    apostrophe = (
        f"CASE WHEN ascii({value}) = ANY(%(formula_starts)s::int[])"
        f" OR (ascii({value}) = ascii('''')"
        f" AND ascii(substr({value}, 2, 1)) = ANY(%(formula_starts_or_apostrophe)s::int[]))"
        " THEN '''' ELSE '' END"
    )
    # line break and comma first: a description is paragraphs with commas, so a long cell
    # that needs quotes is usually told after a short scan
    needs_quotes = (
        f"strpos({value}, chr(10)) > 0 OR strpos({value}, ',') > 0"
        f" OR strpos({value}, '\"') > 0 OR strpos({value}, chr(13)) > 0"
    )
    return (
        f"CASE WHEN {needs_quotes}"
        f" THEN concat('\"', {apostrophe}, replace({value}, '\"', '\"\"'), '\"')"
        f" ELSE concat({apostrophe}, {value}) END"
    )
