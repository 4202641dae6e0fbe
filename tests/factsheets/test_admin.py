"""Curators keep the factsheets in the admin; every change is a version, nothing is lost."""

import pytest
from django.urls import reverse

from factsheets.models import CountryFactsheet, Source

pytestmark = pytest.mark.django_db


def form_data(factsheet=None, **changes):
    data = {
        "country": "DK",
        "policy_level": "national",
        "objectives": "Strong national clusters.",
        "instruments": "financial",
        "programmes": "",
        "budget_low": "",
        "budget_high": "",
        "budget_currency": "EUR",
        "budget_period": "yearly",
        "budget_year": "",
        "budget_note": "",
        "results": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-title": "A public report",
        "sources-0-url": "https://example.eu/report",
        "sources-0-year": "2024",
        "sources-0-supports_level": "on",
        "sources-0-supports_objectives": "on",
        "sources-0-supports_instruments": "on",
    }
    if factsheet is not None:
        source = factsheet.sources.get()
        data.update(
            {
                "sources-INITIAL_FORMS": "1",
                "sources-0-id": str(source.pk),
                "sources-0-factsheet": str(factsheet.pk),
            }
        )
    data.update(changes)
    return data


def test_a_curator_writes_a_factsheet_and_every_change_is_kept(staff_client, client):
    response = staff_client.post(reverse("admin:factsheets_countryfactsheet_add"), form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    factsheet = CountryFactsheet.objects.get(country="DK")
    assert factsheet.sources.get().title == "A public report"

    change = reverse("admin:factsheets_countryfactsheet_change", args=[factsheet.pk])
    edited = form_data(factsheet, objectives="Fewer, stronger clusters.")
    edited["sources-0-DELETE"] = "on"  # the source goes, but its history keeps it
    edited.update(  # and a newer one, ticked in the same form, supports what the page says
        {
            "sources-TOTAL_FORMS": "2",
            "sources-1-title": "A newer report",
            "sources-1-year": "2025",
            "sources-1-supports_level": "on",
            "sources-1-supports_objectives": "on",
            "sources-1-supports_instruments": "on",
        }
    )
    response = staff_client.post(change, edited)
    assert response.status_code == 302, response.context["inline_admin_formsets"][
        0
    ].formset.non_form_errors()
    factsheet.refresh_from_db()
    assert factsheet.objectives == "Fewer, stronger clusters."
    assert [source.title for source in Source.objects.all()] == ["A newer report"]

    versions = factsheet.history.order_by("history_date")
    assert [version.objectives for version in versions] == [
        "Strong national clusters.",
        "Fewer, stronger clusters.",
    ]
    history = staff_client.get(
        reverse("admin:factsheets_countryfactsheet_history", args=[factsheet.pk])
    ).content.decode()
    assert "Changes to its sources" in history
    assert history.count("A public report") == 2  # created, then deleted
    assert "Deleted" in history

    # the older version can be brought back
    first = versions.first()
    revert = reverse(
        "admin:factsheets_countryfactsheet_simple_history",
        args=[factsheet.pk, first.history_id],
    )
    assert staff_client.get(revert).status_code == 200
    page = client.get("/countries/dk/")
    assert page.status_code == 200  # a factsheet alone gives a country its page
    assert "Fewer, stronger clusters." in page.content.decode()


def test_the_admin_refuses_a_budget_upside_down_and_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("admin:factsheets_countryfactsheet_add"),
        form_data(budget_low="5000000", budget_high="1000000"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "budget_high" in form.errors
    assert form["objectives"].value() == "Strong national clusters."
    assert not CountryFactsheet.objects.exists()


def test_the_admin_refuses_a_filled_section_no_source_supports_and_says_which(staff_client):
    data = form_data(programmes="Cluster programme, since 2015")
    response = staff_client.post(reverse("admin:factsheets_countryfactsheet_add"), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert errors == [
        "No source supports the programmes: tick 'programmes' on the source these facts come "
        "from (add it if it is missing), or leave the section empty."
    ]
    assert not CountryFactsheet.objects.exists()

    data["sources-0-supports_programmes"] = "on"  # ticked in the same form: accepted
    response = staff_client.post(reverse("admin:factsheets_countryfactsheet_add"), data)
    assert response.status_code == 302
    assert CountryFactsheet.objects.get().sources.get().supports_programmes


def test_the_source_inline_shows_the_sections_a_source_supports(staff_client):
    page = staff_client.get(reverse("admin:factsheets_countryfactsheet_add")).content.decode()
    assert "Supports the sections" in page
    for section in ("level", "objectives", "instruments", "programmes", "budget", "results"):
        assert f'name="sources-0-supports_{section}"' in page
