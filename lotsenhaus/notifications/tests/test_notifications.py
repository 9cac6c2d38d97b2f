"""In-app notifications, e-mail per preference, digests, unsubscribe, and no duplicate after a lost task."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from lotsenhaus.core.roles import Role
from lotsenhaus.notifications import selectors, services
from lotsenhaus.notifications.models import Frequency, Notification, Topic
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _send(capture, recipients, key="k1", title="Neuer Bedarf", **kwargs):
    with capture(execute=True):
        return services.notifications_send(
            recipients=recipients, topic=Topic.NEED_STATUS, title=title, key=key, url="/bedarfe/1/", **kwargs
        )


def test_a_notification_reaches_everyone_but_the_actor_once_per_key(django_capture_on_commit_callbacks):
    actor, one, two = (make_person(Role.NEED_OWNER) for _ in range(3))
    assert _send(django_capture_on_commit_callbacks, [actor, one, two], actor=actor) == 2
    _send(django_capture_on_commit_callbacks, [actor, one, two], actor=actor)  # a retried task
    assert Notification.objects.filter(user=one).count() == 1
    assert not Notification.objects.filter(user=actor).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([one.email, two.email])
    message = mail.outbox[0]
    assert "/benachrichtigungen/abmelden/" in message.body and "/bedarfe/1/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_title_is_written_in_the_platform_language_whoever_triggers_it(django_capture_on_commit_callbacks):
    from django.utils import translation
    from django.utils.translation import gettext as _

    person = make_person(Role.NEED_OWNER)
    with translation.override("en"):
        _send(django_capture_on_commit_callbacks, [person], title=lambda: _("Knowledge base"))
    assert Notification.objects.get(user=person).title == "Wissensdatenbank"


def test_the_email_task_sends_once_even_when_run_twice():
    person = make_person(Role.NEED_OWNER)
    services.notifications_send(recipients=[person], topic=Topic.ANSWER, title="Antwort", key="a1")
    item = Notification.objects.get(user=person)
    assert services.notification_email_send(notification_id=item.pk) is True
    assert services.notification_email_send(notification_id=item.pk) is False
    assert len(mail.outbox) == 1


def test_a_lost_task_is_resent_by_the_sweep_and_only_once():
    """A worker killed before sending leaves the row unsent: the sweep finds it, a second sweep finds nothing."""
    person = make_person(Role.NEED_OWNER)
    services.notifications_send(recipients=[person], topic=Topic.ANSWER, title="Antwort", key="lost")
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert mail.outbox == []  # the on-commit enqueue never ran: the task was lost
    call_command("send-notifications")
    call_command("send-notifications")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


def test_daily_and_weekly_digests_collect_and_send_once(django_capture_on_commit_callbacks):
    daily, weekly, off = (make_person(Role.STARTUP_MEMBER) for _ in range(3))
    services.preferences_save(actor=daily, frequencies={Topic.NEED_STATUS: Frequency.DAILY})
    services.preferences_save(actor=weekly, frequencies={Topic.NEED_STATUS: Frequency.WEEKLY})
    services.preferences_save(actor=off, frequencies={Topic.NEED_STATUS: Frequency.OFF})
    _send(django_capture_on_commit_callbacks, [daily, weekly, off], key="one", title="Erster")
    _send(django_capture_on_commit_callbacks, [daily, weekly, off], key="two", title="Zweiter")
    assert mail.outbox == []
    not_today = str((timezone.localdate().weekday() + 1) % 7)
    call_command("send-notifications", "--digests", "--weekly-day", not_today)
    call_command("send-notifications", "--digests", "--weekly-day", not_today)
    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert "Erster" in mail.outbox[0].body and "Zweiter" in mail.outbox[0].body
    call_command("send-notifications", "--weekly")
    assert [m.to for m in mail.outbox][1:] == [[weekly.email]]
    assert Notification.objects.filter(user=off).count() == 2  # still in the app


def test_unsubscribe_asks_on_get_and_turns_the_topic_off_on_post(client):
    person = make_person(Role.NEED_OWNER)
    url = services.unsubscribe_url(person.pk, Topic.ANSWER).removeprefix("http://testserver")
    path = url[url.index("/benachrichtigungen/") :]
    assert client.get(path).status_code == 200
    assert selectors.preferences_of(user=person)[Topic.ANSWER] == Frequency.IMMEDIATELY
    response = client.post(path)
    assert response.status_code == 200 and "keine E-Mails mehr" in response.content.decode()
    assert selectors.preferences_of(user=person)[Topic.ANSWER] == Frequency.OFF
    assert selectors.preferences_of(user=person)[Topic.EVENT] == Frequency.IMMEDIATELY
    assert client.post("/benachrichtigungen/abmelden/gefaelscht/").status_code == 400


def test_the_digest_link_turns_off_every_topic(client):
    person = make_person(Role.NEED_OWNER)
    url = services.unsubscribe_url(person.pk, services.ALL_TOPICS)
    client.post(url[url.index("/benachrichtigungen/") :])
    assert set(selectors.preferences_of(user=person).values()) == {Frequency.OFF}


def test_the_page_shows_only_ones_own_and_marks_read(client_for, django_capture_on_commit_callbacks):
    client = client_for(Role.NEED_OWNER)
    stranger = make_person(Role.NEED_OWNER)
    _send(django_capture_on_commit_callbacks, [client.user], key="mine", title="Für mich")
    _send(django_capture_on_commit_callbacks, [stranger], key="theirs", title="Nicht für mich")
    body = client.get("/benachrichtigungen/").content.decode()
    assert "Für mich" in body and "Nicht für mich" not in body and "1 ungelesene" in body
    mine = Notification.objects.get(user=client.user)
    theirs = Notification.objects.get(user=stranger)
    assert client.post(f"/benachrichtigungen/{theirs.pk}/oeffnen/").status_code == 404
    response = client.post(f"/benachrichtigungen/{mine.pk}/oeffnen/")
    assert response.status_code == 302 and response["Location"] == "/bedarfe/1/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_the_list_has_a_fixed_number_of_queries(client_for, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.NEED_OWNER)
    _send(django_capture_on_commit_callbacks, [client.user], key="0")
    with CaptureQueriesContext(connection) as few:
        client.get("/benachrichtigungen/")
    for index in range(1, 25):
        _send(django_capture_on_commit_callbacks, [client.user], key=str(index))
    with CaptureQueriesContext(connection) as many:
        client.get("/benachrichtigungen/")
    assert len(many) == len(few)


def test_preferences_page_and_api(client_for):
    client = client_for(Role.STARTUP_MEMBER)
    response = client.post(
        "/benachrichtigungen/einstellungen/", {"form": "prefs", **{f"prefs-{t}": "weekly" for t in Topic.values}}
    )
    assert response.status_code == 302
    assert set(selectors.preferences_of(user=client.user).values()) == {"weekly"}
    bad = client.post("/benachrichtigungen/einstellungen/", {"form": "prefs", "prefs-answer": "hourly"})
    assert bad.status_code == 422
    api = client.put(
        "/api/v1/notifications/preferences", {"frequencies": {"event": "off"}}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["frequencies"]["event"] == "off"
    assert (
        client.put(
            "/api/v1/notifications/preferences", {"frequencies": {"gossip": "off"}}, content_type="application/json"
        ).status_code
        == 422
    )


def test_api_lists_and_marks_read(client_for, django_capture_on_commit_callbacks, client):
    signed_in = client_for(Role.EXPERT)
    _send(django_capture_on_commit_callbacks, [signed_in.user], key="x", title="Bitte bewerten")
    listed = signed_in.get("/api/v1/notifications?unread=true").json()
    assert [item["title"] for item in listed["results"]] == ["Bitte bewerten"]
    item_id = listed["results"][0]["id"]
    assert signed_in.post(f"/api/v1/notifications/{item_id}/read").json()["read_at"] is not None
    assert signed_in.get("/api/v1/notifications?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications").status_code == 401
    other = client_for(Role.EXPERT)
    assert other.post(f"/api/v1/notifications/{item_id}/read").status_code == 404
