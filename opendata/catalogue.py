"""The DCAT-AP 3 catalogue record of the dataset, as JSON-LD with its context inline (so it
parses offline): the catalogue, the dataset, its distributions (CSV, Excel, the JSON API)
and the API as a data service, with typed nodes for the publisher, the contact point and
the licence."""

from django.urls import reverse

from practices.exchange import dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU_VOCABULARY = "http://publications.europa.eu/resource/authority/"
# The EU's data themes: economy and finance; regions and cities; science and technology.
THEMES = ["ECON", "REGI", "TECH"]


def _text(value):
    return {"@value": value, "@language": "en"}


def _date(moment):
    return {"@value": moment.date().isoformat(), "@type": "xsd:date"}


def _node(uri):
    return {"@id": uri}


def catalogue(absolute, modified) -> dict:
    """The record; ``absolute(path)`` gives a path's full address, ``modified`` is when the
    data last changed."""
    catalogue_id = absolute(reverse("opendata:catalog")) + "#catalogue"
    dataset_id = absolute(reverse("opendata:data")) + "#dataset"
    publisher_id = absolute("/") + "#publisher"
    contact_id = absolute("/") + "#contact"
    service_id = absolute(reverse("api:index")) + "#service"
    licence = _node(dataset.LICENCE_URL)
    themes = [_node(f"{EU_VOCABULARY}data-theme/{theme}") for theme in THEMES]

    def distribution(key, title, path, file_type, media_type, **extra):
        return {
            "@id": f"{dataset_id}-{key}",
            "@type": "dcat:Distribution",
            "dct:title": _text(title),
            "dcat:accessURL": _node(absolute(path)),
            "dct:format": _node(f"{EU_VOCABULARY}file-type/{file_type}"),
            "dcat:mediaType": _node(f"https://www.iana.org/assignments/media-types/{media_type}"),
            "dct:license": licence,
            "dct:modified": _date(modified),
            **extra,
        }

    csv_path, xlsx_path = reverse("practices:export"), reverse("practices:export-xlsx")
    distributions = [
        distribution(
            "csv", "Every published practice as CSV (UTF-8)", csv_path, "CSV", "text/csv",
            **{"dcat:downloadURL": _node(absolute(csv_path))},
        ),
        distribution(
            "xlsx", "Every published practice as an Excel workbook", xlsx_path, "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            **{"dcat:downloadURL": _node(absolute(xlsx_path))},
        ),
        distribution(
            "json", "The practices through the JSON API", reverse("api:practice-list"), "JSON",
            "application/json", **{"dcat:accessService": _node(service_id)},
        ),
    ]  # fmt: skip
    graph = [
        {
            "@id": catalogue_id,
            "@type": "dcat:Catalog",
            "dct:title": _text(dataset.PUBLISHER),
            "dct:description": _text(
                "The catalogue of the Cluster Policy Toolkit's open data: its practices and "
                "the API that serves them."
            ),
            "dct:publisher": _node(publisher_id),
            "foaf:homepage": _node(absolute("/")),
            "dct:language": _node(f"{EU_VOCABULARY}language/ENG"),
            "dct:license": licence,
            "dct:modified": _date(modified),
            "dcat:themeTaxonomy": _node(f"{EU_VOCABULARY}data-theme"),
            "dcat:dataset": _node(dataset_id),
            "dcat:service": _node(service_id),
        },
        {
            "@id": dataset_id,
            "@type": "dcat:Dataset",
            "dct:title": _text(dataset.TITLE),
            "dct:description": _text(dataset.DESCRIPTION),
            "dct:identifier": dataset_id,
            "dct:publisher": _node(publisher_id),
            "dcat:contactPoint": _node(contact_id),
            "dcat:landingPage": _node(absolute(reverse("opendata:data"))),
            "dcat:keyword": [_text(keyword) for keyword in dataset.KEYWORDS],
            "dcat:theme": themes,
            "dct:language": _node(f"{EU_VOCABULARY}language/ENG"),
            "dct:accessRights": _node(f"{EU_VOCABULARY}access-right/PUBLIC"),
            "dct:spatial": _node(f"{EU_VOCABULARY}continent/EUROPE"),
            "dct:modified": _date(modified),
            "dcat:distribution": [_node(item["@id"]) for item in distributions],
        },
        *distributions,
        {
            "@id": service_id,
            "@type": "dcat:DataService",
            "dct:title": _text("Cluster Policy Toolkit JSON API"),
            "dct:description": _text(
                "Search the published practices with the site's filters; pages of JSON with "
                "facet counts. Read-only, no key, open to any origin."
            ),
            "dcat:endpointURL": _node(absolute(reverse("api:index"))),
            "dcat:endpointDescription": _node(absolute(reverse("api:openapi"))),
            "dcat:servesDataset": _node(dataset_id),
            "dct:license": licence,
            "dct:publisher": _node(publisher_id),
        },
        {
            "@id": publisher_id,
            "@type": "foaf:Agent",
            "foaf:name": _text(dataset.PUBLISHER),
            "foaf:homepage": _node(absolute("/")),
        },
        {
            "@id": contact_id,
            "@type": "vcard:Organization",
            "vcard:fn": _text(dataset.PUBLISHER),
            "vcard:hasURL": _node(absolute(reverse("opendata:data"))),
        },
        {
            "@id": dataset.LICENCE_URL,
            "@type": "dct:LicenseDocument",
            "rdfs:label": _text(dataset.LICENCE_NAME),
            "dct:type": _node("http://purl.org/adms/licencetype/Attribution"),
        },
    ]
    return {"@context": CONTEXT, "@graph": graph}
