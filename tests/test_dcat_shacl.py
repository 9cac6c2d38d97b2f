"""The AI register's DCAT record against GovData's official DCAT-AP.de 3.0 SHACL shapes (issue 18)."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph

from lotsenhaus.airegister.tests.test_register import _published, world  # noqa: F401

pytestmark = pytest.mark.django_db
SHAPES_DIR = Path(__file__).parent / "standards" / "dcat-ap-de"
SHAPES = [
    "semic-dcat-ap-3.0.0-SHACL.ttl",  # the European profile's shapes, which GovData's files complete and translate
    "govdata-v3.0_shapes_dcat-ap-SHACL-DE.ttl",
    "govdata-v3.0_shapes_dcat-ap-de-controlledvocabularies.ttl",
    "govdata-v3.0_shapes_dcat-ap-spec-german-additions.ttl",
    "govdata-v3.0_shapes_dcat-ap-de-deprecated.ttl",
]
# What GovData's validator imports into the data (its owl:imports), as far as it is here.
VOCABULARIES = [
    "govdata-dashboard-alpha_shapes_dcat-ap-de-licenses-open.rdf",
    "govdata-dashboard-live_shapes_dcat-ap-de-contributors.rdf",
    "govdata-mirror_foaf_0_1.rdf",
    "govdata-mirror_vcard.ttl",
    "eu-authority-tables-extract.ttl",
]


def _violations(data: Graph) -> list[str]:
    shapes = Graph()
    for name in SHAPES:
        shapes.parse(SHAPES_DIR / name)
    for name in VOCABULARIES:
        data.parse(SHAPES_DIR / name)
    _conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return [line.split("Message: ", 1)[1] for line in text.splitlines() if "Message: " in line]


def _record(world) -> dict[str, Any]:  # noqa: F811
    _published(world, status="production", dpia_done=True)
    return Client().get(reverse("airegister:dcat")).json()


def test_the_catalogue_passes_govdatas_shapes_without_a_violation_or_warning(world):  # noqa: F811
    document = _record(world)
    kinds = [node["@type"] for node in document["@graph"]]
    assert kinds == ["dcat:Catalog", "dcat:Dataset", "foaf:Organization"]
    assert _violations(Graph().parse(data=json.dumps(document), format="json-ld")) == []


def test_the_validation_finds_what_portals_reject(world):  # noqa: F811
    document = _record(world)
    dataset = document["@graph"][1]
    dataset["dcat:contactPoint"]["http://www.w3.org/2006/vcard/ns#hasEmail"] = "lotsenhaus@example.org"  # text
    dataset["dcat:distribution"][0]["dct:format"] = "CSV"  # text instead of the EU file type
    del document["@graph"][0]["dct:publisher"]
    found = " ".join(_violations(Graph().parse(data=json.dumps(document), format="json-ld")))
    assert "hasEmail MUSS eine IRI sein" in found
    assert "dcterms:format" in found
    assert "dcat:Catalog: dcterms:publisher MUSS MINDESTEN einmal vorkommen" in found


def test_govdatas_reference_example_shows_only_its_two_known_faults():
    """The reference record is DCAT-AP.de 2.0; the 3.0 shapes accept all of it but two rules (README)."""
    found = _violations(Graph().parse(SHAPES_DIR / "control-govdata-DE2.0-RefImp_TTL_SIMPLE.ttl"))
    assert sorted(found) == [
        "DE: dcat:DataService: MUSS einen dcterms:publisher haben.",
        "DE: vcard:Kind: vcard:hasEmail MUSS eine IRI sein.",
    ]
