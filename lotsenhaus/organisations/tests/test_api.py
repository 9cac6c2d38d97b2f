import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _post(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/organisations").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/organisations" in response.json()["paths"]


def test_coordinator_lists_and_creates(client_for):
    client = client_for(Role.COORDINATOR)
    OrganisationFactory.create(name="Finanzbehörde")
    data = client.get("/api/v1/organisations").json()
    assert "Finanzbehörde" in [o["name"] for o in data["results"]]
    response = _post(client, "/api/v1/organisations", {"name": "Bezirksamt Bergedorf", "kind": "bezirksamt"})
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "bezirksamt-bergedorf"


def test_unknown_kind_is_refused_with_422(client_for):
    client = client_for(Role.COORDINATOR)
    response = _post(client, "/api/v1/organisations", {"name": "X", "kind": "geheim"})
    assert response.status_code == 422
    assert not Organisation.objects.filter(name="X").exists()


def test_business_rule_errors_come_back_as_400_with_field(client_for):
    client = client_for(Role.COORDINATOR)
    authority = OrganisationFactory.create(kind=OrganisationKind.FACHBEHOERDE)
    response = _post(client, "/api/v1/organisations", {"name": "Y GmbH", "kind": "startup", "parent_id": authority.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "parent"


def test_startup_member_sees_only_own_and_cannot_create(client_for):
    client = client_for(Role.STARTUP_MEMBER)
    own = client.user.memberships.get().organisation
    other = OrganisationFactory.create()
    names = [o["name"] for o in client.get("/api/v1/organisations").json()["results"]]
    assert names == [own.name]
    assert client.get(f"/api/v1/organisations/{other.pk}").status_code == 403
    assert _post(client, "/api/v1/organisations", {"name": "Z", "kind": "startup"}).status_code == 403


def test_list_query_count_is_fixed(client_for):
    client = client_for(Role.COORDINATOR)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/organisations")
    parent = OrganisationFactory.create()
    for _ in range(30):
        OrganisationFactory.create(parent=parent)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/organisations")
    assert len(many) == len(few)
