"""CSV export of a search: every matching practice, streamed in batches.

On PostgreSQL the database writes the lines (``exports_postgresql``); elsewhere (SQLite) this
module does, from plain rows (``values_list``-like reads by id) and names looked up in small
in-memory tables (``labels.Labels``) instead of model instances. Both write
byte-identical files; tests hold them so.
"""

import codecs
import re

from django.db import connections
from django.urls import reverse
from django.utils import timezone

from practices.csv_format import PLAIN_COLUMNS, csv_line, neutralise_cell
from practices.db import rows_where_in
from practices.exchange import exports_postgresql
from practices.exchange.labels import EXPORT_BATCH_SIZE, Labels, practice_columns, utc_date
from practices.models import Practice
from practices.search.facets.registry import CSV_COLUMNS

# Where a practice's page is, before its slug; the views give the site's full address.
PRACTICE_PATH_PREFIX = "/practices/"


def practice_url_prefix(request) -> str:
    """The full address of the practices' pages before a slug: "https://host/practices/"."""
    return request.build_absolute_uri(reverse("practices:list"))


def csv_chunks(practices, *, url_prefix=PRACTICE_PATH_PREFIX):
    """Yield the export as UTF-8 bytes in pieces: a byte-order mark (so Excel reads accents
    right) and the header, then one piece per batch of practices (a few MB: few writes, flat
    memory). A practice's ``url`` is ``url_prefix``, its slug and a slash."""
    yield codecs.BOM_UTF8 + csv_line(CSV_COLUMNS).encode()
    if connections[practices.db].vendor == "postgresql":
        yield from postgresql_csv_batches(practices, url_prefix=url_prefix)
    else:
        yield from python_csv_batches(practices, url_prefix=url_prefix)


def postgresql_csv_batches(practices, *, url_prefix=PRACTICE_PATH_PREFIX):
    """The lines PostgreSQL writes (``exports_postgresql``), byte for byte what
    ``python_csv_batches`` gives; Python writes them when a taxonomy has more values than the
    SQL writer can carry (``exports_postgresql.fits``)."""
    labels = Labels(practices.db)
    if not exports_postgresql.fits(labels):
        yield from python_csv_batches(practices, url_prefix=url_prefix)
        return
    yield from exports_postgresql.csv_batches(practices, labels, url_prefix=url_prefix)


def python_csv_batches(practices, *, url_prefix=PRACTICE_PATH_PREFIX):
    """Yield the practices of the queryset, in its order, as UTF-8 CSV, one piece per batch
    of ``export_batches``: the lines ``csv_line`` makes of its cells."""
    for batch in export_batches(practices, url_prefix=url_prefix):
        yield "".join(map(csv_line, batch)).encode()


def export_batches(practices, *, url_prefix=PRACTICE_PATH_PREFIX, neutralise=True):
    """Yield the practices of the queryset, in its order, as batches of rows of CSV cells in
    ``CSV_COLUMNS`` order; with ``neutralise``, cells a spreadsheet would run as formulas are
    neutralised (a CSV file has no types; a workbook writes every cell as text instead).

    The search runs once for the ordered ids (a few MB for 100,000 practices); rows and tags
    are then read a batch of ids at a time, so memory stays flat without a server-side cursor.
    """
    labels = Labels(practices.db)
    ordered_ids = list(practices.values_list("pk", flat=True))
    columns = practice_columns()
    batch_size = EXPORT_BATCH_SIZE
    for start in range(0, len(ordered_ids), batch_size):
        batch = ordered_ids[start : start + batch_size]
        rows = rows_where_in(practices.db, Practice._meta.db_table, columns, "id", batch)
        by_id = {row[0]: row for row in rows}
        tags = labels.tags_of(batch)
        rows = (_cells(by_id[pk], tags, labels, url_prefix) for pk in batch)
        if neutralise:
            yield [[neutralise_cell(cell) for cell in row] for row in rows]
        else:
            yield list(rows)


def _cells(row, tags, labels, url_prefix) -> list[str]:
    """The cells of one practice's line: ``row`` holds the columns of ``practice_columns``."""
    pk, slug, title, original, description, country, region, link, updated, *facet_values = row
    choices = facet_values[: len(labels.choice_facets)]
    fixed_and_fields = facet_values[len(labels.choice_facets) : -len(PLAIN_COLUMNS)]
    fixed = fixed_and_fields[: len(labels.fixed_facets)]
    fields = fixed_and_fields[len(labels.fixed_facets) :]
    plain = facet_values[-len(PLAIN_COLUMNS) :]
    region_code, region_name, typology = labels.regions.get(region, ("", "", ""))
    by_column = {
        "slug": slug,
        "title": title,
        "original_title": original,
        "description": description,
        "country": country,
        "country_name": labels.country_names.get(country, country),
        "region_code": region_code,
        "region_name": region_name,
        "typology": typology,
        "link": link,
        "updated": utc_date(updated),
        "url": f"{url_prefix}{slug}/",
    }
    for spec, choice in zip(labels.choice_facets, choices, strict=True):
        by_column[spec.csv_column] = labels.choices[spec.param].get(choice, "")
    for spec in labels.tag_facets:
        by_column[spec.csv_column] = tags[spec.param].get(pk, "")
    for spec in labels.named_facets:
        by_column[spec.csv_names_column] = tags[spec.csv_names_column].get(pk, "")
    for spec, value in zip(labels.fixed_facets, fixed, strict=True):
        by_column[spec.csv_column] = spec.slug_of(_stored(spec, value))
    for spec, value in zip(labels.field_facets, fields, strict=True):
        by_column[spec.csv_column] = value or ""
    for spec in labels.group_facets:  # groups of the country, the one facet grouped
        by_column[spec.csv_column] = labels.group_names[spec.param].get(country, "")
    for column, value in zip(PLAIN_COLUMNS, plain, strict=True):
        by_column[column] = "" if value is None else str(value)
    return [by_column[column] for column in CSV_COLUMNS]


def _stored(spec, value):
    # SQLite hands a raw boolean back as 0 or 1
    return bool(value) if isinstance(value, int) and not isinstance(value, bool) else value


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
