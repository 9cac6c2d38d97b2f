import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotsenhaus.core.models import AuditEntry, AuditLogImmutableError
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations import services
from lotsenhaus.organisations.models import OrganisationKind
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _create(actor, name="Bezirksamt Bergedorf"):
    return services.organisation_create(actor=actor, name=name, kind=OrganisationKind.BEZIRKSAMT)


def test_a_change_is_recorded_with_before_and_after():
    actor = make_person(Role.COORDINATOR)
    organisation = _create(actor)
    services.organisation_update(actor=actor, organisation=organisation, short_name="BA Bergedorf")
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.actor == actor
    assert entry.object_type == "organisations.organisation"
    assert entry.object_id == str(organisation.pk)
    assert entry.changes == {"short_name": ["", "BA Bergedorf"]}
    created = AuditEntry.objects.get(action="organisation.create")
    assert created.changes["name"] == [None, "Bezirksamt Bergedorf"]


def test_the_audit_log_cannot_be_edited_or_deleted():
    entry = AuditEntry.objects.create(action="test.action", object_type="x", object_repr="original")
    entry.object_repr = "forged"
    with pytest.raises(AuditLogImmutableError):
        entry.save()
    with pytest.raises(AuditLogImmutableError):
        entry.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.all().delete()
    # Even raw SQL is refused by the database trigger.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_repr = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr == "original"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for the test flush")
def test_raw_delete_is_refused_by_postgresql():
    entry = AuditEntry.objects.create(action="test.action", object_type="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_refused_service_writes_no_audit_row():
    actor = make_person(Role.COORDINATOR)
    _create(actor)
    before = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - the duplicate name is refused one way or another
        _create(actor)
    assert AuditEntry.objects.count() == before


def test_coordinators_filter_the_audit_log(client_for):
    client = client_for(Role.COORDINATOR)
    _create(client.user, "Bezirksamt Harburg")
    _create(client.user, "Bezirksamt Bergedorf")
    response = client.get(reverse("core:audit_log"), {"action": "organisation.create"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bezirksamt Harburg" in body and "Bezirksamt Bergedorf" in body
    response = client.get(reverse("core:audit_log"), {"action": "membership"})
    assert "Bezirksamt Harburg" not in response.content.decode()
    assert "Keine Einträge" in response.content.decode()


def test_htmx_filter_returns_only_the_table(client_for):
    client = client_for(Role.COORDINATOR)
    _create(client.user)
    response = client.get(reverse("core:audit_log"), {"action": "organisation"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body
    assert "<html" not in body


@pytest.mark.parametrize("role", [None, Role.NEED_OWNER, Role.STARTUP_MEMBER, Role.EXPERT])
def test_others_cannot_see_the_audit_log(client_for, role):
    assert client_for(role).get(reverse("core:audit_log")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_audit_page_needs_the_same_queries_for_few_and_many_entries(client_for):
    client = client_for(Role.COORDINATOR)
    actors = [make_person(Role.COORDINATOR) for _ in range(3)]
    _create(actors[0], "Amt 0")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:audit_log"))
    for i, actor in enumerate(actors * 10):
        _create(actor, f"Amt {i + 1}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:audit_log"))
    assert len(many) == len(few)
