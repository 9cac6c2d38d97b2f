"""Exports: what a person downloads is exactly what they may see, and opens in a spreadsheet program."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services as need_services
from lotsenhaus.needs.models import Need
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups.models import Solution, StartupProfile
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db


def _rows_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _rows_xlsx(response) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def needs():
    authority = OrganisationFactory.create(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    published = need_services.need_create(
        actor=owner, organisation=authority, title='=HYPERLINK("http://evil")', internal_notes="intern"
    )
    Need.objects.filter(pk=published.pk).update(
        status="published",
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    need_services.need_create(actor=owner, organisation=authority, title="Geheimer Entwurf")
    return owner


def test_board_exports_only_public_needs_in_both_formats(needs):
    client = Client()
    rows = _rows_csv(client.get(reverse("needs:board"), {"export": "csv"}))
    assert rows[0][0] == "Titel"
    titles = [row[0] for row in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://evil")']  # formulas are defused
    assert "Interne Notizen" not in rows[0]
    response = client.get(reverse("needs:board"), {"export": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="bedarfe-')
    sheet = _rows_xlsx(response)
    assert [row[0] for row in sheet[1:]] == ['\'=HYPERLINK("http://evil")']


def test_workspace_export_includes_drafts_for_the_owner_only(needs):
    owner_rows = _rows_csv(_login(needs).get(reverse("needs:workspace"), {"export": "csv"}))
    assert {"Geheimer Entwurf", '\'=HYPERLINK("http://evil")'} == {row[0] for row in owner_rows[1:]}
    assert "intern" in [cell for row in owner_rows for cell in row]
    other = _login(make_person(Role.NEED_OWNER))
    assert [row[0] for row in _rows_csv(other.get(reverse("needs:workspace"), {"export": "csv"}))[1:]] == []
    assert Client().get(reverse("needs:workspace"), {"export": "csv"}).status_code == 302


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_startup_and_solution_exports_respect_verification():
    for name, verification in (("Geprüft GmbH", "verified"), ("Ungeprüft GmbH", "unverified")):
        organisation = OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
        profile = StartupProfile.objects.create(organisation=organisation, verification=verification)
        Solution.objects.create(profile=profile, name=f"Lösung von {name}", description="D")
    need_owner = _login(make_person(Role.NEED_OWNER))
    names = [row[0] for row in _rows_xlsx(need_owner.get(reverse("startups:directory"), {"export": "xlsx"}))[1:]]
    assert names == ["Geprüft GmbH"]
    solutions = _rows_xlsx(need_owner.get(reverse("startups:solutions_export"), {"export": "xlsx"}))
    assert [row[1] for row in solutions[1:]] == ["Lösung von Geprüft GmbH"]
    coordinator = _login(make_person(Role.COORDINATOR))
    names = [row[0] for row in _rows_csv(coordinator.get(reverse("startups:directory"), {"export": "csv"}))[1:]]
    assert names == ["Geprüft GmbH", "Ungeprüft GmbH"]


def test_export_query_count_is_fixed():
    coordinator = _login(make_person(Role.COORDINATOR))
    with CaptureQueriesContext(connection) as few:
        coordinator.get(reverse("startups:directory"), {"export": "xlsx"})
    for _ in range(20):
        StartupProfile.objects.create(
            organisation=OrganisationFactory.create(kind=OrganisationKind.STARTUP), verification="verified"
        )
    with CaptureQueriesContext(connection) as many:
        coordinator.get(reverse("startups:directory"), {"export": "xlsx"})
    assert len(many) == len(few)


def test_documents_survive_control_characters_pasted_from_other_programs():
    import io

    from docx import Document

    from lotsenhaus.core.documents import Facts, Paragraph, Report, Section, Table, to_docx

    report = Report(
        title="Bericht\x00",
        subtitle="",
        sections=[Section("Teil\x07", [Paragraph("A\x01B"), Facts([("k\x1f", "v")]), Table(["h"], [["z\x0b"]])])],
        footer="Fuß\x02",
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(to_docx(report))).paragraphs)
    assert "AB" in text and "Teil" in text
