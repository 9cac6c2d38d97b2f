import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import Workbook

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.matching.models import SearchDocument
from lotsenhaus.notifications.models import Notification
from lotsenhaus.organisations.models import Organisation, OrganisationKind
from lotsenhaus.startups.importing import MAX_ROWS
from lotsenhaus.startups.models import ImportState, StartupImport, StartupProfile
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
    """Upload a list; the check's task runs after the commit (immediate task backend in the tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("startups:import"), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
        )


def test_preview_shows_row_errors_in_german_and_writes_nothing():
    OrganisationFactory.create(
        name="Aktenblick GmbH", kind=OrganisationKind.STARTUP, website="https://aktenblick.example"
    )
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


def test_import_runs_in_the_background_and_reports(django_capture_on_commit_callbacks):
    client = _coordinator()
    _upload(client, "liste.csv", CSV.encode("utf-8"))
    upload = StartupImport.objects.get()
    # The request only queues the import: it answers at once, the task writes after the commit.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.state == ImportState.QUEUED and not StartupProfile.objects.exists()
    page = client.get(reverse("startups:import_preview", args=[upload.pk]))
    assert b'id="import-progress"' in page.content and b'hx-trigger="every 2s"' in page.content
    for callback in queued:
        callback()  # the task runs (immediate backend in the tests)
    profile = StartupProfile.objects.get(organisation__name="Hafenblick GmbH")
    assert profile.scouted and profile.seat == "Hamburg" and profile.founding_year == 2020
    assert profile.hosting_locations == ["de"] and profile.organisation.website == "https://hafenblick.example"
    assert profile.organisation.slug == "hafenblick-gmbh"
    upload.refresh_from_db()
    assert upload.state == ImportState.DONE and upload.imported_count == 2 and upload.processed == 2
    # Every organisation and profile is in the audit log, and the profiles are in the search index at once.
    assert AuditEntry.objects.filter(action="organisation.create").count() == 2
    assert AuditEntry.objects.filter(action="startup.scout", object_id=str(profile.pk)).exists()
    assert SearchDocument.objects.filter(kind="startup", object_id=profile.pk).exists()
    # The person who started it is told when it is finished.
    assert Notification.objects.filter(user=upload.run_by, url__endswith=f"/import/{upload.pk}/").count() == 1
    fragment = client.get(reverse("startups:import_preview", args=[upload.pk]), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true" and b"hx-trigger" not in fragment.content
    html = client.get(reverse("startups:import_preview", args=[upload.pk])).content.decode()
    assert "2 Startups importiert" in html
    # A second confirmation imports nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert StartupProfile.objects.count() == 2
    assert AuditEntry.objects.filter(action="startup_import.run").count() == 1


def test_the_rows_are_checked_in_the_background_while_the_page_waits(django_capture_on_commit_callbacks):
    client = _coordinator()
    with django_capture_on_commit_callbacks(execute=False) as checks:
        response = client.post(
            reverse("startups:import"), {"file": SimpleUploadedFile("liste.csv", CSV.encode(), content_type="text/csv")}
        )
    upload = StartupImport.objects.get()
    assert response.status_code == 302 and upload.state == ImportState.CHECKING
    page = client.get(reverse("startups:import_preview", args=[upload.pk])).content
    assert b'hx-trigger="every 2s"' in page and b"kern-table-responsive" not in page and b"actions-panel" not in page
    # Importing before the check is refused.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert not StartupProfile.objects.exists()
    for callback in checks:
        callback()
    upload.refresh_from_db()
    assert upload.state == ImportState.CHECKED and [r["row"] for r in upload.valid_rows] == [2, 6]
    fragment = client.get(reverse("startups:import_preview", args=[upload.pk]), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"


def _list_of(count: int, first: int = 0) -> bytes:
    lines = ["Name;Website"] + [f"Reihe {i} GmbH;https://reihe-{i}.example" for i in range(first, first + count)]
    return "\n".join(lines).encode()


def test_a_long_list_goes_in_slices_and_a_second_run_continues_after_the_last_slice(
    django_capture_on_commit_callbacks, monkeypatch
):
    from lotsenhaus.startups import services

    monkeypatch.setattr(services, "IMPORT_SLICE", 4)
    client = _coordinator()
    _upload(client, "lang.csv", _list_of(10))
    upload = StartupImport.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("startups:import_preview", args=[upload.pk]))
    # A worker died after the first slice: its rows are in, the progress says so.
    services._import_slice(
        actor=upload.created_by, upload_id=upload.pk, rows=upload.valid_rows[:4], keys=(set(), set())
    )
    upload.refresh_from_db()
    assert (upload.processed, upload.imported_count, upload.percent) == (4, 4, 40)
    # Meanwhile someone adds one of the later startups by hand: the import skips it and says why.
    OrganisationFactory.create(name="Reihe 7 GmbH", kind=OrganisationKind.STARTUP)
    done = services.import_execute(upload_id=upload.pk)
    assert (done.state, done.processed, done.imported_count) == (ImportState.DONE, 10, 9)
    assert Organisation.objects.filter(kind="startup").count() == 10
    assert [r["row"] for r in done.rows if r["errors"]] == [9]
    # Run a third time (the task queue retried it): nothing changes.
    assert services.import_execute(upload_id=upload.pk).imported_count == 9
    assert Organisation.objects.filter(kind="startup").count() == 10


def test_slugs_stay_unique_against_every_organisation(django_capture_on_commit_callbacks):
    # Authorities are not duplicates of a startup, but their addresses (slugs) and exact names are taken.
    OrganisationFactory.create(name="Elbe-Nord", slug="elbe-nord", kind=OrganisationKind.FACHBEHOERDE)
    OrganisationFactory.create(name="Elbe Nord Zwei", slug="elbe-nord-2", kind=OrganisationKind.BEZIRKSAMT)
    OrganisationFactory.create(name="Hafen Ost", slug="hafen-ost", kind=OrganisationKind.BEZIRKSAMT)
    client = _coordinator()
    content = "Name;Website\nElbe Nord;https://nord.example\nElbe Nord AG;https://ag.example\nHafen Ost;\n"
    _upload(client, "liste.csv", content.encode())
    upload = StartupImport.objects.get()
    assert [r["row"] for r in upload.valid_rows] == [2, 4]  # row 3 is row 2's startup (legal form aside)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert Organisation.objects.get(kind=OrganisationKind.STARTUP).slug == "elbe-nord-3"
    upload.refresh_from_db()
    # The authority "Hafen Ost" holds that name: the row is skipped with the reason, the rest goes in.
    assert upload.imported_count == 1 and upload.skipped.keys() == {"4"}
    assert [r["row"] for r in upload.rows if r["errors"]] == [3, 4]


def test_a_list_of_ten_thousand_rows_is_accepted_and_one_more_is_refused():
    client = _coordinator()
    assert _upload(client, "gross.csv", _list_of(MAX_ROWS)).status_code == 302
    upload = StartupImport.objects.get()
    assert len(upload.valid_rows) == MAX_ROWS == 10_000
    page = client.get(reverse("startups:import_preview", args=[upload.pk]) + "?page=100")
    assert page.status_code == 200 and b"Reihe 9999 GmbH" in page.content and b"Reihe 0 GmbH" not in page.content
    assert _upload(client, "zu-gross.csv", _list_of(MAX_ROWS + 1)).status_code == 422


def test_xlsx_lists_work_too(django_capture_on_commit_callbacks):
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
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("startups:import_preview", args=[upload.pk]))
    assert StartupProfile.objects.get().hosting_locations == ["eu"]


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
