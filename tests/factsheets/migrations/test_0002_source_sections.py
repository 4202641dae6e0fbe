"""Migration 0002's data step: a source saved before sources said what they support keeps
supporting what it stood behind, the whole factsheet (every filled section); run here on the
project's models, whose fields include the migration's."""

import importlib

import pytest
from django.apps import apps

from factsheets.models import CountryFactsheet, Section, Source

pytestmark = pytest.mark.django_db

migration = importlib.import_module("factsheets.migrations.0002_source_sections")


def old_source(factsheet, title):
    """A source as the first migration left it has no box ticked, which the database's check
    now refuses: one box that the factsheet does not fill stands in for none."""
    return Source.objects.create(factsheet=factsheet, title=title, year=2021, supports_results=True)


def test_old_sources_support_the_sections_their_factsheet_fills():
    denmark = CountryFactsheet.objects.create(
        country="DK", policy_level="national", objectives="Strong clusters.", budget_note="?"
    )
    empty = CountryFactsheet.objects.create(country="ES")
    report = old_source(denmark, "A report")
    blank = old_source(empty, "A first source")

    migration.sources_support_what_they_supported(apps, None)

    report.refresh_from_db()
    assert report.sections == [Section.LEVEL, Section.OBJECTIVES, Section.BUDGET, Section.RESULTS]
    blank.refresh_from_db()
    assert blank.sections == list(Section)  # nothing filled yet: it stood behind it all
