"""Data protection rights: the export of everything about a person, erasure that keeps the records and the
audit log intact, and the retention periods enforced by ``lotsenhaus apply-retention``."""

import datetime
import io
import json
import os

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.accounts import services
from lotsenhaus.accounts.models import User
from lotsenhaus.core import privacy
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.events import services as events
from lotsenhaus.events.models import Registration
from lotsenhaus.exploration import services as ex
from lotsenhaus.exploration.models import Contact
from lotsenhaus.needs import services as needs
from lotsenhaus.needs.models import Answer, AnswerAttachment
from lotsenhaus.organisations.models import Membership
from lotsenhaus.startups.models import ContactPerson
from tests.factories import PASSWORD, make_person
from tests.pipeline import build_world, coming_event, explore

pytestmark = pytest.mark.django_db


def _whole_database() -> str:
    """Every row of every table as JSON: what an erased person's name must no longer appear in."""
    rows = [obj for model in apps.get_models() for obj in model._default_manager.all()]
    return serializers.serialize("json", rows)


def test_every_foreign_key_to_a_person_is_declared_for_export_and_erasure():
    assert privacy.undeclared() == []


def test_a_startup_member_downloads_their_data_then_erases_their_account():
    world = build_world()
    explore(world)
    member = world.members[0]
    member.name = "Mara Musterfrau"
    member.save()
    ContactPerson.objects.create(profile=world.startups[0], name="Mara Musterfrau", email=member.email)
    browser = Client()
    assert browser.post(reverse("account_login"), {"login": member.email, "password": PASSWORD}).status_code == 302

    download = browser.get(reverse("accounts:personal_data_export"))
    assert download["Content-Disposition"].startswith("attachment")
    data = json.loads(download.content)
    assert data["person"]["email"] == member.email
    assert [r["relation"] for r in data["records"]["needs.answer"]] == [["submitted_by"]]
    assert data["records"]["organisations.membership"][0]["fields"]["role"] == "member"
    assert data["records"]["startups.contactperson"][0]["fields"]["name"] == "Mara Musterfrau"
    assert member.password not in download.content.decode()
    assert all("digest" not in r["fields"] for r in data["records"].get("accounts.apitoken", []))

    audit_before = list(AuditEntry.objects.order_by("pk").values_list("pk", "actor_id", "action", "changes"))
    page = browser.post(reverse("accounts:personal_data"), {"password": "falsch", "confirm": "on"})
    assert page.status_code == 200 and "Passwort ist nicht korrekt" in page.content.decode()
    assert User.objects.get(pk=member.pk).erased_at is None

    old_email = member.email
    page = browser.post(reverse("accounts:personal_data"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Ihre personenbezogenen Daten wurden gelöscht" in page.content.decode()
    member.refresh_from_db()
    assert member.erased_at is not None and not member.is_active
    assert member.name.startswith("Gelöschte Person ")
    assert not Membership.objects.filter(user=member).exists()
    assert not ContactPerson.objects.filter(email__iexact=old_email).exists()
    answer = Answer.objects.get(startup=world.startups[0])
    assert answer.submitted_by_id == member.pk  # the startup's answer stays, now under the pseudonym
    # The audit log is untouched; one entry is added for the erasure.
    assert (
        list(AuditEntry.objects.order_by("pk").values_list("pk", "actor_id", "action", "changes"))[: len(audit_before)]
        == audit_before
    )
    assert AuditEntry.objects.filter(action="person.erase", object_id=str(member.pk)).count() == 1
    everything = _whole_database()
    assert old_email not in everything and "Musterfrau" not in everything
    again = Client()
    assert again.post(reverse("account_login"), {"login": old_email, "password": PASSWORD}).status_code == 200
    assert browser.get(reverse("accounts:profile")).status_code == 302  # signed out


def test_platform_admin_answers_a_request_by_letter_through_the_api():
    admin = make_person(Role.PLATFORM_ADMIN)
    expert = make_person(Role.EXPERT, name="Erika Expertin")
    other = make_person(Role.COORDINATOR)
    _, admin_token = services.api_token_create(actor=admin, name="Datenschutz", days=30, scope="write")
    _, other_token = services.api_token_create(actor=other, name="Versuch", days=30, scope="write")
    url = f"/api/v1/people/{expert.pk}/personal-data"

    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 403
    assert (
        Client().post(f"/api/v1/people/{expert.pk}/erasure", HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code
        == 403
    )
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert response.status_code == 200 and response.json()["person"]["name"] == "Erika Expertin"
    mine = Client().get("/api/v1/me/personal-data", HTTP_AUTHORIZATION=f"Bearer {other_token}").json()
    assert mine["person"]["id"] == other.pk and mine["records"]["organisations.membership"]

    erased = Client().post(f"/api/v1/people/{expert.pk}/erasure", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert erased.status_code == 200 and erased.json()["name"].startswith("Gelöschte Person")
    twice = Client().post(f"/api/v1/people/{expert.pk}/erasure", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert twice.status_code == 400 and "bereits gelöscht" in twice.json()["detail"]
    last_admin = Client().post(f"/api/v1/people/{admin.pk}/erasure", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert last_admin.status_code == 400 and "letzte" in last_admin.json()["detail"]
    assert User.objects.get(pk=admin.pk).is_active


def test_erasure_gives_up_places_on_coming_events_so_the_waiting_list_moves_up():
    coordinator = make_person(Role.COORDINATOR)
    event = coming_event(coordinator, capacity=1)
    leaving, waiting = make_person(Role.STARTUP_MEMBER), make_person(Role.STARTUP_MEMBER)
    events.registration_create(actor=leaving, event=event)
    events.registration_create(actor=waiting, event=event)
    services.person_erase(actor=leaving, user=leaving)
    assert not Registration.objects.filter(user=leaving).exists()
    assert Registration.objects.get(user=waiting).status == "registered"


def test_retention_deletes_old_contact_logs_and_answers_of_long_closed_needs(
    settings, media_root, django_capture_on_commit_callbacks
):
    settings.LOTSENHAUS_RETENTION_CONTACT_DAYS = 30
    settings.LOTSENHAUS_RETENTION_ANSWER_DAYS = 60
    world = build_world()
    _, candidates = explore(world)
    today = timezone.localdate()
    for days_ago in (45, 10):
        ex.contact_add(
            actor=world.coordinator,
            candidate=candidates[0],
            happened_on=today - datetime.timedelta(days=days_ago),
            channel="phone",
            participants="Frau Beispiel (Aktenblick)",
            summary="Vorgespräch",
        )
    other = build_world(" Nord")
    needs.answer_save(
        actor=other.members[2],
        need=other.need,
        solution=other.solutions[2],
        approach="Mit Anhang",
        attachment=SimpleUploadedFile("angebot.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    stored = AnswerAttachment.objects.get()
    path = stored.file.path
    needs.need_transition(actor=other.owner, need=other.need, action="withdraw")
    type(other.need).objects.filter(pk=other.need.pk).update(closed_at=timezone.now() - datetime.timedelta(days=61))

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply-retention", stdout=out)
    assert out.getvalue().startswith("4 Datensätze") and "answers: 3, contacts: 1" in out.getvalue()
    assert list(Contact.objects.values_list("happened_on", flat=True)) == [today - datetime.timedelta(days=10)]
    assert not Answer.objects.filter(need=other.need).exists()
    assert Answer.objects.filter(need=world.need).count() == 2  # the open need keeps its answers
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(action="answer.expired", object_id=str(other.need.pk)).get().changes == {
        "removed": 3,
        "retention_days": 60,
    }
    again = io.StringIO()
    call_command("apply-retention", stdout=again)
    assert again.getvalue().startswith("0 Datensätze")

    settings.LOTSENHAUS_RETENTION_CONTACT_DAYS = 0  # 0 keeps for ever
    Contact.objects.update(happened_on=today - datetime.timedelta(days=4000))
    call_command("apply-retention", stdout=io.StringIO())
    assert Contact.objects.count() == 1
