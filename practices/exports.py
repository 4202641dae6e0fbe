"""CSV export of a search: every matching practice, streamed row by row."""

import codecs
import csv
import datetime
import re

from django.utils import timezone

from practices.csv_format import COLUMNS, LIST_SEPARATOR, neutralise_cell

EXPORT_BATCH_SIZE = 2000


class _Echo:
    """A file-like sink for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


def practice_row(practice) -> list[str]:
    """One practice as CSV cells, in ``COLUMNS`` order. Expects ``with_tags()`` prefetches."""
    region = practice.region

    def names(tags):
        return LIST_SEPARATOR.join(tag.name for tag in tags)

    cells = [
        practice.slug,
        practice.title,
        practice.original_title,
        practice.description,
        practice.country.code,
        practice.country.name,
        practice.territorial_validity.name,
        names(practice.priorities.all()),
        LIST_SEPARATOR.join(r.slug for r in practice.recommendations.all()),
        names(practice.challenges.all()),
        names(practice.support_types.all()),
        region.code if region else "",
        region.name if region else "",
        region.typology.name if region else "",
        practice.link,
        practice.updated_at.astimezone(datetime.UTC).date().isoformat(),
    ]
    return [neutralise_cell(str(cell)) for cell in cells]


def csv_lines(practices):
    """Yield the export line by line: a UTF-8 byte-order mark (so Excel reads accents right),
    the header, then one line per practice, fetched in batches to keep memory flat."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8") + writer.writerow(COLUMNS)
    for practice in practices.with_tags().iterator(chunk_size=EXPORT_BATCH_SIZE):
        yield writer.writerow(practice_row(practice))


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
