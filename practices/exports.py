"""CSV export of a search: every matching practice, streamed in batches.

On PostgreSQL the database writes every finished CSV line (names, formula neutralisation,
quoting) in one statement read through a server-side cursor, and Python only joins the
lines: at 100,000 practices that is 1.7 to 1.9 times as fast as building the cells in Python
(``bench/export_csv.py``). Elsewhere (SQLite) the export reads plain rows (``values_list``)
and looks tag and region names up in small in-memory tables instead of building model
instances. Both paths write byte-identical files; tests hold them so.
"""

import codecs
import datetime
import re

from django.db import connections, transaction
from django.utils import timezone
from django_countries import countries
from psycopg.adapt import Loader

from practices.csv_format import (
    COLUMNS,
    FORMULA_STARTS,
    LIST_SEPARATOR,
    csv_line,
    neutralise_cell,
)
from practices.models import Practice, Region, TerritorialValidity

EXPORT_BATCH_SIZE = 2000
_PRACTICE_FIELDS = (
    "id",
    "slug",
    "title",
    "original_title",
    "description",
    "country",
    "territorial_validity_id",
    "region_id",
    "link",
    "updated_at",
)
# For the transaction of the PostgreSQL export only. Measured at 100,000 practices on the
# 2-core benchmark server: compiling the statement (JIT) and parallel workers for the tag
# sets made it slower, not faster; one export need not take more than one core.
_STATEMENT_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}
# Bits 0 to 62 of a bigint, short of the sign bit: one per value of a taxonomy.
_MOST_TAGS_IN_A_SET = 63
# Multi-valued relations in column order, and whether the column holds slugs (else names).
_TAG_RELATIONS = [
    ("priorities", False),
    ("recommendations", True),
    ("challenges", False),
    ("support_types", False),
]


class _Labels:
    """Names of everything a row refers to, loaded once per export."""

    def __init__(self, database):
        self.database = database
        self.country_names = dict(countries)
        self.validities = dict(
            TerritorialValidity.objects.using(database).values_list("pk", "name")
        )
        self.regions = {
            region.pk: (region.code, region.name, region.typology.name)
            for region in Region.objects.using(database).select_related("typology")
        }
        self.tags = {}
        for relation, by_slug in _TAG_RELATIONS:
            field = Practice._meta.get_field(relation)
            # the taxonomy's own ordering
            ordered = field.remote_field.model.objects.using(database).all()
            self.tags[relation] = {
                tag.pk: (position, tag.slug if by_slug else tag.name)
                for position, tag in enumerate(ordered)
            }

    def tags_of(self, practice_ids):
        """For each relation, the joined labels of each practice: {relation: {id: "a; b"}}."""
        joined = {}
        for relation, _ in _TAG_RELATIONS:
            field = Practice._meta.get_field(relation)
            grouped = {}
            links = _rows_where_in(
                self.database,
                field.m2m_db_table(),
                [field.m2m_column_name(), field.m2m_reverse_name()],
                field.m2m_column_name(),
                practice_ids,
            )
            for practice_id, tag_id in links:
                grouped.setdefault(practice_id, []).append(self.tags[relation][tag_id])
            joined[relation] = {
                practice_id: LIST_SEPARATOR.join(label for _, label in sorted(labels))
                for practice_id, labels in grouped.items()
            }
        return joined


def _rows_where_in(database, table, columns, key, values):
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


def export_batches(practices):
    """Yield the practices of the queryset, in its order, as batches of rows of CSV cells in
    ``COLUMNS`` order.

    The search runs once for the ordered ids (a few MB for 100,000 practices); rows and tags
    are then read a batch of ids at a time, so memory stays flat without a server-side cursor.
    """
    labels = _Labels(practices.db)
    ordered_ids = list(practices.values_list("pk", flat=True))
    columns = [Practice._meta.get_field(name).column for name in _PRACTICE_FIELDS]
    no_region = ("", "", "")
    for start in range(0, len(ordered_ids), EXPORT_BATCH_SIZE):
        batch = ordered_ids[start : start + EXPORT_BATCH_SIZE]
        rows = _rows_where_in(practices.db, Practice._meta.db_table, columns, "id", batch)
        by_id = {row[0]: row for row in rows}
        tags = labels.tags_of(batch)
        cell_rows = []
        for pk in batch:
            _, slug, title, original, description, country, validity, region, link, updated = by_id[
                pk
            ]
            region_code, region_name, typology = labels.regions.get(region, no_region)
            cells = [
                slug,
                title,
                original,
                description,
                country,
                labels.country_names.get(country, country),
                labels.validities[validity],
                tags["priorities"].get(pk, ""),
                tags["recommendations"].get(pk, ""),
                tags["challenges"].get(pk, ""),
                tags["support_types"].get(pk, ""),
                region_code,
                region_name,
                typology,
                link,
                _utc_date(updated),
            ]
            cell_rows.append([neutralise_cell(cell) for cell in cells])
        yield cell_rows


def _utc_date(moment):
    if isinstance(moment, str):  # SQLite hands raw SQL results back as text
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).date().isoformat()


def csv_chunks(practices):
    """Yield the export as UTF-8 bytes in pieces: a byte-order mark (so Excel reads accents
    right) and the header, then one piece per batch of practices (a few MB: few writes, flat
    memory). PostgreSQL writes the lines itself (``postgresql_csv_batches``); on other
    databases Python does (``python_csv_batches``)."""
    yield codecs.BOM_UTF8 + csv_line(COLUMNS).encode()
    if connections[practices.db].vendor == "postgresql":
        yield from postgresql_csv_batches(practices)
    else:
        yield from python_csv_batches(practices)


def python_csv_batches(practices):
    """Yield the practices of the queryset, in its order, as UTF-8 CSV, one piece per batch
    of ``export_batches``: the lines ``csv_line`` makes of its cells."""
    for batch in export_batches(practices):
        yield "".join(map(csv_line, batch)).encode()


def postgresql_csv_batches(practices):
    """Yield the practices of the queryset, in its order, as UTF-8 CSV: one piece of
    ``EXPORT_BATCH_SIZE`` lines at a time, byte for byte what ``python_csv_batches`` gives.

    As in ``export_batches``, the search runs once for the ordered ids. One statement then
    writes every line, and a server-side cursor hands the lines over a batch at a time (so
    memory stays flat) as the UTF-8 bytes PostgreSQL sends. The cursor lives in a
    transaction, as Django advises for server-side cursors behind a transaction-pooling
    proxy. A taxonomy of more than 63 values does not fit the bigint that carries a
    practice's set of tags (see ``_csv_lines_sql``); then Python writes the lines.
    """
    labels = _Labels(practices.db)
    if any(len(tags) > _MOST_TAGS_IN_A_SET for tags in labels.tags.values()):
        yield from python_csv_batches(practices)
        return
    ordered_ids = list(practices.values_list("pk", flat=True))
    if not ordered_ids:
        return
    connection = connections[practices.db]
    parameters = _csv_lines_parameters(labels, ordered_ids)
    with transaction.atomic(using=practices.db):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, setting, true)"
                " FROM unnest(%s::text[], %s::text[]) AS settings (name, setting)",
                [list(_STATEMENT_SETTINGS), list(_STATEMENT_SETTINGS.values())],
            )
        with connection.chunked_cursor() as cursor:
            cursor.cursor.adapters.register_loader("text", _Utf8Bytes)
            cursor.execute(_csv_lines_sql(connection.ops.quote_name), parameters)
            while lines := cursor.fetchmany(EXPORT_BATCH_SIZE):
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
    (territorial validities, regions, countries) arrive as finished cells, made once here by
    the functions of the Python path."""
    parameters = {
        # One array literal: as a list, psycopg would inspect each of 100,000 numbers, once
        # for each place the statement names them.
        "ids": "{" + ",".join(map(str, ordered_ids)) + "}",
        "formula_starts": [ord(start) for start in FORMULA_STARTS],
        "formula_starts_or_apostrophe": [ord(start) for start in (*FORMULA_STARTS, "'")],
        "list_separator": LIST_SEPARATOR,
        "validity_ids": list(labels.validities),
        "validity_cells": [_finished_cells(name) for name in labels.validities.values()],
        "region_ids": list(labels.regions),
        "region_cells": [_finished_cells(*region) for region in labels.regions.values()],
        "no_region_cells": _finished_cells("", "", ""),
        "country_codes": list(labels.country_names),
        "country_cells": [_finished_cells(name) for name in labels.country_names.values()],
    }
    for relation, _ in _TAG_RELATIONS:
        by_position = sorted(labels.tags[relation].items(), key=lambda tag: tag[1][0])
        parameters[f"{relation}_ids"] = [tag_id for tag_id, _ in by_position]
        parameters[f"{relation}_labels"] = [label for _, (_, label) in by_position]
        parameters[f"{relation}_bits"] = [1 << position for _, (position, _) in by_position]
    return parameters


def _csv_lines_sql(quote):
    """One CSV line per id of ``%(ids)s``, in that order. Table and column names come from
    the models, quoted; every value is a parameter (``_csv_lines_parameters``).

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
    for number, (relation, _) in enumerate(_TAG_RELATIONS):
        field = Practice._meta.get_field(relation)
        tag_link_selects.append(
            f"SELECT link.{quote(field.m2m_column_name())} AS practice_id,"  # noqa: S608
            f" {number} AS relation, tag.bit"
            f" FROM {quote(field.m2m_db_table())} AS link"
            f" JOIN unnest(%({relation}_ids)s::bigint[], %({relation}_bits)s::bigint[])"
            f" AS tag (id, bit) ON tag.id = link.{quote(field.m2m_reverse_name())}"
        )
        tag_set_masks.append(f"bit_or(bit) FILTER (WHERE relation = {number}) AS {relation}")
        tag_cell_tables.append(
            f"{relation}_cells AS ("  # noqa: S608
            f"SELECT tag_set, {_csv_cell_sql('labels')} AS cell FROM ("
            "SELECT tag_sets.tag_set, ("
            "SELECT string_agg(tag.label, %(list_separator)s ORDER BY tag.bit)"
            f" FROM unnest(%({relation}_labels)s::text[], %({relation}_bits)s::bigint[])"
            " AS tag (label, bit) WHERE tag_sets.tag_set & tag.bit <> 0"
            f") AS labels FROM (SELECT DISTINCT {relation} AS tag_set FROM tag_sets"
            f" WHERE {relation} IS NOT NULL) AS tag_sets"
            # OFFSET 0 keeps the subquery whole, so the labels are joined once, not once
            # for each time the cell expression names them
            " OFFSET 0) AS labelled)"
        )
        tag_joins.append(
            f"LEFT JOIN {relation}_cells ON {relation}_cells.tag_set = tag_sets.{relation}"
        )
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
        " validities.cell AS validity,"
        + "".join(f" {relation}_cells.cell AS {relation}," for relation, _ in _TAG_RELATIONS)
        + " coalesce(regions.cells, %(no_region_cells)s) AS region,"
        f" p.{practice('link')} AS link,"
        f" to_char((p.{practice('updated_at')} AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')"
        " AS updated"
        " FROM wanted"
        f" JOIN {quote(Practice._meta.db_table)} AS p ON p.{practice('id')} = wanted.id"
        f" LEFT JOIN tag_sets ON tag_sets.practice_id = p.{practice('id')}"
        f" {' '.join(tag_joins)}"
        " LEFT JOIN unnest(%(validity_ids)s::bigint[], %(validity_cells)s::text[])"
        f" AS validities (id, cell) ON validities.id = p.{practice('territorial_validity')}"
        " LEFT JOIN unnest(%(region_ids)s::bigint[], %(region_cells)s::text[])"
        f" AS regions (id, cells) ON regions.id = p.{practice('region')}"
        " LEFT JOIN unnest(%(country_codes)s::text[], %(country_cells)s::text[])"
        f" AS country_names (code, cell) ON country_names.code = p.{practice('country')}"
        " OFFSET 0"
    )
    line = [
        *map(_csv_cell_sql, ["slug", "title", "original_title", "description", "country"]),
        # the code itself stands in for a country django_countries does not know
        f"coalesce(country_name, {_csv_cell_sql('country')})",
        "validity",
        *(f"coalesce({relation}, '')" for relation, _ in _TAG_RELATIONS),
        "region",
        _csv_cell_sql("link"),
        "updated",  # an ISO date: never starts like a formula, never needs quotes
    ]
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


def export_filename(params, *, today=None) -> str:
    """A file name saying what was searched and when, e.g.
    ``practices_challenge-skills_priority-green-transition_2026-11-25.csv``."""
    today = today or timezone.localdate()
    parts = []
    for key in params:
        for value in params.getlist(key):
            parts.append(f"{key}-{value}")
    described = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts)).strip("-_")[:120]
    return "_".join(part for part in ["practices", described, today.isoformat()] if part) + ".csv"
