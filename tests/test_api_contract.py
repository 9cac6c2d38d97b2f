"""The API's contract as a client reads it in the OpenAPI document, and the answers that prove it (issue 18).

The document must be valid (openapi-spec-validator), every operation must document its error responses with the
one error schema, every list must have the one pagination shape, public operations must say that anyone may call
them, and the answers must keep these promises."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from openapi_spec_validator import validate

from lotsenhaus.core.exceptions import ERROR_CODES
from lotsenhaus.core.roles import Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PAGE_KEYS = {"count", "next", "previous", "results"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_openapi_document_is_valid(document):
    validate(document)


def test_every_operation_documents_its_errors_with_the_one_error_schema(document):
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["code"]["enum"] == list(ERROR_CODES)
    for method, path, operation in _operations(document):
        errors = {status: r for status, r in operation["responses"].items() if status >= "400"}
        # Only a public read without any input (the questionnaire) has no refusal to document.
        can_refuse = operation.get("security") or operation.get("parameters") or operation.get("requestBody")
        assert errors or not can_refuse, (method, path)
        for _status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        if "{" in path:
            assert "404" in errors, (method, path)
        if operation.get("security") and {} not in operation["security"]:
            assert {"401", "403"} <= set(errors), (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"400", "404", "409"} <= set(errors), (method, path)


def test_every_answer_is_typed_and_every_list_has_the_one_pagination_shape(document):
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            schema = _resolve(document, response["content"]["application/json"]["schema"])
            assert schema.get("type") != "array", f"{method} {path}: a bare list instead of a page"
            properties = schema.get("properties")
            assert properties, f"{method} {path}: an untyped answer"
            if "results" in properties:
                assert set(properties) >= PAGE_KEYS, (method, path)
                items = _resolve(document, properties["results"]["items"])
                assert items.get("properties"), f"{method} {path}: untyped list items"


def test_public_operations_say_so_and_answer_anyone(document):
    """Issue 18: six public GET operations were declared as needing a login though they answered anonymously."""
    anonymous = Client()
    public = [
        (path, operation)
        for method, path, operation in _operations(document)
        if method == "get" and (not operation.get("security") or {} in operation["security"])
    ]
    assert len(public) >= 13
    for path, _operation in public:
        url = re.sub(r"\{[^}]+\}", "999999", path)
        status = anonymous.get(url, {"q": "x"} if path.endswith("/search") else {}).status_code
        assert status == (404 if "{" in path else 200), (path, status)
    # And the others are closed to the anonymous caller, with the documented error.
    closed = [p for m, p, o in _operations(document) if m == "get" and o.get("security") and {} not in o["security"]]
    for path in closed[:10]:
        response = anonymous.get(re.sub(r"\{[^}]+\}", "1", path))
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated", path


def test_error_answers_match_the_error_schema_and_carry_a_code(document, client_for):
    schema = {**document["components"]["schemas"]["Error"], "components": document["components"]}
    coordinator = client_for(Role.COORDINATOR)
    answers = {
        "not_authenticated": Client().get("/api/v1/organisations"),
        "not_found": coordinator.get("/api/v1/needs/999999"),
        "invalid_input": coordinator.post(
            "/api/v1/organisations", json.dumps({"name": "X", "kind": "keine"}), content_type="application/json"
        ),
        "invalid_value": coordinator.post(
            "/api/v1/needs",
            json.dumps(
                {"organisation_id": OrganisationFactory.create(kind="startup").pk, "title": "T", "problem": "P"}
            ),
            content_type="application/json",
        ),
        "permission_denied": client_for(Role.NEED_OWNER).get("/api/v1/portfolio"),
    }
    for code, response in answers.items():
        body = response.json()
        jsonschema.validate(body, schema)
        assert response.status_code >= 400 and body["code"] in ERROR_CODES, (code, body)
    assert answers["not_authenticated"].json()["code"] == "not_authenticated"
    assert answers["not_found"].status_code == 404 and answers["not_found"].json()["code"] == "not_found"
    invalid = answers["invalid_input"].json()
    assert answers["invalid_input"].status_code == 422 and invalid["code"] == "invalid_input"
    assert invalid["field"] == "kind" and invalid["errors"]
    assert answers["permission_denied"].status_code == 403


def test_pages_link_to_each_other_and_keep_the_filters(client_for, settings):
    settings.LOTSENHAUS_BASE_URL = "https://lotsenhaus.example.org"
    coordinator = client_for(Role.COORDINATOR)
    for index in range(5):
        OrganisationFactory.create(name=f"Amt {index}", kind="bezirksamt")
    first = coordinator.get("/api/v1/organisations", {"page_size": 2, "kind": "bezirksamt"}).json()
    assert first["count"] >= 5 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].startswith("https://lotsenhaus.example.org/api/v1/organisations?")
    assert "kind=bezirksamt" in first["next"] and "page=2" in first["next"]
    second = coordinator.get(first["next"].removeprefix("https://lotsenhaus.example.org")).json()
    assert second["previous"] and {o["id"] for o in second["results"]}.isdisjoint({o["id"] for o in first["results"]})
    last_page = -(-first["count"] // 2)
    last = coordinator.get("/api/v1/organisations", {"page_size": 2, "page": last_page, "kind": "bezirksamt"}).json()
    assert last["next"] is None


def test_every_refusal_in_the_code_names_a_code_of_the_catalogue():
    """Codes, not German messages, tell refusals apart: no raise without one, none outside the catalogue."""
    root = Path(__file__).resolve().parents[1] / "lotsenhaus"
    calls = 0
    for source in root.rglob("*.py"):
        if "tests" in source.parts or source.name == "exceptions.py":
            continue
        text = source.read_text()
        for match in re.finditer(r"ApplicationError\(", text):
            depth, index = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(text[index], 0)
                index += 1
            code = re.search(r'code="(\w+)"', text[match.start() : index])
            assert code and code.group(1) in ERROR_CODES, f"{source}: {text[match.start() : index][:120]}"
            calls += 1
    assert calls > 150
    assert "invalid" not in ERROR_CODES
