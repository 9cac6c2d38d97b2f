"""Feeds, calendars and open data over HTTP (issue 18): an ETag and 304 for a repeated request, public caching
and CORS on open data, CORS on the read API; nothing private becomes publicly cacheable."""

import pytest
from django.test import Client

from lotsenhaus.core.roles import Role
from tests.factories import make_person
from tests.pipeline import build_world, coming_event

pytestmark = pytest.mark.django_db

OPEN_DATA = ["/bedarfe/feed/", "/ki-register/export.json", "/ki-register/export.csv", "/ki-register/dcat.jsonld",
             "/ki-register/algoritmeregister.json", "/veranstaltungen/kalender.ics"]  # fmt: skip


@pytest.mark.parametrize("path", OPEN_DATA)
def test_open_data_is_cacheable_readable_elsewhere_and_answers_304(path):
    world = build_world()
    coming_event(world.coordinator)
    client = Client()
    first = client.get(path)
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"] and "no-store" not in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_one_events_calendar_file_has_an_etag_but_stays_private():
    coordinator = make_person(Role.COORDINATOR)
    event = coming_event(coordinator)
    client = Client()
    client.force_login(coordinator)
    response = client.get(f"/veranstaltungen/{event.pk}/termin.ics")
    assert response.status_code == 200 and response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")
    assert client.get(f"/veranstaltungen/{event.pk}/termin.ics", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_read_api_allows_other_origins_without_credentials():
    build_world()
    response = Client().get("/api/v1/needs", HTTP_ORIGIN="https://portal.example")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_register_links_follow_the_sites_present_address(settings):
    """Issue 18: permanent links were frozen with the host of the moment of publication."""
    from lotsenhaus.airegister.models import PublishedVersion
    from tests.pipeline import published_use_case

    world = build_world()
    settings.LOTSENHAUS_BASE_URL = "http://127.0.0.1:8000"
    use_case = published_use_case(world.authority, world.coordinator, "Übersetzer")
    assert PublishedVersion.objects.get(use_case=use_case).data["url"].startswith("http://127.0.0.1:8000/")
    settings.LOTSENHAUS_BASE_URL = "https://lotsenhaus.hamburg.example"
    records = Client().get("/ki-register/export.json").json()["records"]
    assert records[0]["url"] == f"https://lotsenhaus.hamburg.example/ki-register/{use_case.public_id}/"
    page = Client().get(f"/ki-register/{use_case.public_id}/").content.decode()
    assert "127.0.0.1:8000" not in page


def test_the_register_csv_carries_the_values_of_the_json():
    """Issue 18: the CSV showed Python's True/False and the organisation as a JSON object in one cell."""
    import csv
    import io

    from tests.pipeline import published_use_case

    world = build_world()
    published_use_case(world.authority, world.coordinator, "Übersetzer")
    records = Client().get("/ki-register/export.json").json()["records"]
    text = Client().get("/ki-register/export.csv").content.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    (record,) = records
    assert row["organisation.name"] == record["organisation"]["name"] and "organisation" not in row
    for key, value in record.items():
        if isinstance(value, bool):
            assert row[key] == ("true" if value else "false")
        elif value is None:
            assert row[key] == ""
        elif not isinstance(value, dict | list):
            assert row[key] == str(value), key
    assert "True" not in text and "False" not in text
