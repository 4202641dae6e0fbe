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
    assert staff_client.post(change, edited).status_code == 302
    factsheet.refresh_from_db()
    assert factsheet.objectives == "Fewer, stronger clusters."
    assert not Source.objects.exists()

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
