from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from factsheets.models import CountryFactsheet
from opendata import catalogue, columns
from opendata.freshness import last_change
from practices.exchange import dataset
from practices.models import Practice

JSON_LD = "application/ld+json"


def data_page(request):
    """The dataset for people: what it holds, its licence, downloads, columns, citation."""
    published = Practice.objects.published()
    changed = last_change()
    context = {
        "dataset": dataset,
        "practices": published.count(),
        "countries": published.values("country").distinct().count(),
        "factsheets": CountryFactsheet.objects.count(),
        "changed": changed,
        "columns": columns.columns(),
        "citation": dataset.CITATION.format(
            year=changed.year,
            url=request.build_absolute_uri(),
            date=timezone.localdate().isoformat(),
        ),
    }
    return render(request, "opendata/data.html", context)


def catalog(request):
    """The DCAT-AP 3 catalogue record, for open-data portals to harvest."""
    record = catalogue.catalogue(request.build_absolute_uri, last_change())
    response = JsonResponse(record, content_type=JSON_LD, json_dumps_params={"indent": 2})
    return response
