"""The data page and the DCAT-AP 3 catalogue record."""

import json

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as vocabularies

from practices.exchange import dataset
from practices.models import StrategicChallenge
from practices.search.facets.registry import CSV_COLUMNS
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

# (rdflib's namespaces are not bound at module level: pytest's collection would probe them)
RDF, DCAT, DCTERMS, FOAF = (
    vocabularies.RDF,
    vocabularies.DCAT,
    vocabularies.DCTERMS,
    vocabularies.FOAF,
)
VCARD = vocabularies.Namespace("http://www.w3.org/2006/vcard/ns#")


def catalogue_graph(client):
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    record = json.loads(response.content)
    assert isinstance(record["@context"], dict)  # inline: it parses offline
    return Graph().parse(data=response.content, format="json-ld"), record


def mandatory():
    """DCAT-AP 3.0: the properties each class must have (the specification's "mandatory")."""
    return {
        DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher],
        DCAT.Dataset: [DCTERMS.title, DCTERMS.description],
        DCAT.Distribution: [DCAT.accessURL],
        DCAT.DataService: [DCAT.endpointURL, DCTERMS.title],
        FOAF.Agent: [FOAF.name],
    }


def test_the_catalogue_record_has_every_mandatory_dcat_ap_property(sample_practices, client):
    graph, _ = catalogue_graph(client)
    for cls, properties in mandatory().items():
        nodes = set(graph.subjects(RDF.type, cls))
        assert nodes, f"no {cls}"
        for node in nodes:
            for prop in properties:
                assert graph.value(node, prop) is not None, (cls, node, prop)
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)
    (the_dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert graph.value(catalogue, DCAT.dataset) == the_dataset
    distributions = set(graph.objects(the_dataset, DCAT.distribution))
    assert distributions == set(graph.subjects(RDF.type, DCAT.Distribution))
    formats = {str(graph.value(d, DCTERMS["format"])).rsplit("/", 1)[-1] for d in distributions}
    assert formats == {"CSV", "XLSX", "JSON"}
    for distribution in distributions:
        assert graph.value(distribution, DCTERMS.license) == URIRef(dataset.LICENCE_URL)
        assert graph.value(distribution, DCTERMS.modified) is not None
    # typed nodes for the publisher, the contact point and the licence
    publisher = graph.value(the_dataset, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert (graph.value(the_dataset, DCAT.contactPoint), RDF.type, VCARD.Organization) in graph
    assert (URIRef(dataset.LICENCE_URL), RDF.type, DCTERMS.LicenseDocument) in graph
    themes = {str(theme) for theme in graph.objects(the_dataset, DCAT.theme)}
    assert "http://publications.europa.eu/resource/authority/data-theme/ECON" in themes
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    assert str(graph.value(service, DCAT.endpointDescription)).endswith("/api/openapi.json")
    assert graph.value(service, DCAT.servesDataset) == the_dataset


def test_the_catalogue_says_when_the_data_last_changed(sample_practices, client):
    make_practice(slug="fresh")  # saved now
    graph, _ = catalogue_graph(client)
    (the_dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    from django.utils import timezone

    assert str(graph.value(the_dataset, DCTERMS.modified)) == timezone.now().date().isoformat()


def test_the_data_page_lists_every_column_generated_from_the_code(sample_practices, client):
    StrategicChallenge.objects.create(slug="demography", name="Demography", position=9)
    response = client.get("/data/")
    assert response.status_code == 200
    content = response.content.decode()
    listed = [column.name for column in response.context["columns"]]
    assert listed == list(CSV_COLUMNS)
    for column in CSV_COLUMNS:
        assert f'id="column-{column}"' in content
    challenges = next(c for c in response.context["columns"] if c.name == "strategic_challenges")
    assert challenges.options[-1] == "Demography"  # a new value appears without an edit here
    assert dataset.LICENCE_NAME in content and "EC-OECD (2021), STIP Compass" in content
    for address in [
        "/practices/export.csv",
        "/practices/export.xlsx",
        "/api/",
        "/api/docs/",
        "/data/catalog.jsonld",
    ]:
        assert f'href="{address}"' in content
    assert response.context["practices"] == 15
