import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import Organisation, OrganisationKind
from lotsenhaus.startups.models import StartupImport, StartupProfile
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db

CSV = (
    "Name;Website;Kurzbeschreibung;Sitz;Gründungsjahr;Teamgröße;Serverstandort;E-Mail\n"
    "Hafenblick GmbH;hafenblick.example;Bilderkennung;Hamburg;2020;12;Deutschland;info@hafenblick.example\n"
    ";leer.example;Ohne Namen;;;;;\n"
    "Kaputt UG;nicht eine url;;;;;;\n"
    "Mond GmbH;mond.example;;;;;Mond;\n"
    "Aktenblick;https://www.aktenblick.example;;;;;;\n"
    "Hafenblick GmbH;;;;;;;\n"
    "Zahlen GmbH;;;;zweitausend;;;\n"
    "Post GmbH;;;;;;;keine-adresse\n"
)


def _coordinator() -> Client:
    client = Client()
    client.force_login(make_person(Role.COORDINATOR))
    return client


def _upload(client, name, content, content_type="text/csv"):
    return client.post(
        reverse("startups:import"), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def test_preview_shows_row_errors_in_german_and_writes_nothing():
    OrganisationFactory(name="Aktenblick GmbH", kind=OrganisationKind.STARTUP, website="https://aktenblick.example")
    client = _coordinator()
    response = _upload(client, "liste.csv", CSV.encode("utf-8"))
    upload = StartupImport.objects.get()
    assert response["Location"] == reverse("startups:import_preview", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    for message in (
        "Der Name fehlt.",
        "„nicht eine url“ ist keine gültige Webadresse.",
        "Unbekannter Wert „Mond“ für den Serverstandort",
        "Schon im Katalog",
        "Kommt in dieser Datei doppelt vor.",
        "„zweitausend“ ist keine gültige Zahl",
        "„keine-adresse“ ist keine gültige E-Mail-Adresse.",
    ):
        assert message in page, message
    assert [row["row"] for row in upload.valid_rows] == [2]
    assert Organisation.objects.filter(kind="startup").count() == 1


def test_import_writes_all_valid_rows_at_once_and_reports():
    client = _coordinator()
    _upload(client, "liste.csv", CSV.encode("utf-8"))
    upload = StartupImport.objects.get()
    client.post(reverse("startups:import_preview", args=[upload.pk]))
    profile = StartupProfile.objects.get(organisation__name="Hafenblick GmbH")
    assert profile.scouted and profile.seat == "Hamburg" and profile.founding_year == 2020
    assert profile.hosting_locations == ",de," and profile.organisation.website == "https://hafenblick.example"
    upload.refresh_from_db()
    assert upload.imported_count == 2  # Hafenblick and Aktenblick; the catalogue was empty
    page = client.get(reverse("startups:import_preview", args=[upload.pk])).content.decode()
    assert "2 Startups importiert" in page
    # A second confirmation imports nothing twice.
    client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert StartupProfile.objects.count() == 2
    assert AuditEntry.objects.filter(action="startup_import.run").count() == 1


def test_xlsx_lists_work_too():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Website", "Serverstandort"])
    sheet.append(["Elbdaten GmbH", "https://elbdaten.example", "EU"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = _coordinator()
    _upload(
        client, "liste.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    upload = StartupImport.objects.get()
    client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert StartupProfile.objects.get().hosting_locations == ",eu,"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("liste.txt", b"Name\nX\n", "CSV- oder XLSX-Datei"),
        ("liste.xlsx", b"not a zip", "keine gültige Excel-Datei"),
        ("liste.csv", b"Firma;Ort\nX;Y\n", "Spalte „Name“"),
        ("liste.csv", b"", "leer"),
    ],
)
def test_unreadable_files_are_refused(name, content, message):
    response = _upload(_coordinator(), name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StartupImport.objects.exists()


@pytest.mark.parametrize("role", [None, Role.NEED_OWNER, Role.STARTUP_MEMBER, Role.EXPERT])
def test_only_the_unit_imports(role):
    client = Client()
    client.force_login(make_person(role))
    assert _upload(client, "liste.csv", CSV.encode()).status_code == 403
