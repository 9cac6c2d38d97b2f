"""Events: registration, waiting list and moving up, capacity, reminders, iCalendar, reverse pitches."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.events import services
from lotsenhaus.events.models import Registration, RegistrationStatus
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person
from tests.pipeline import coming_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_person(Role.COORDINATOR)


def test_full_event_queues_and_a_cancellation_moves_the_first_up(coordinator):
    event = coming_event(coordinator)
    a, b, c, d = (make_person(Role.STARTUP_MEMBER) for _ in range(4))
    statuses = [services.registration_create(actor=p, event=event).status for p in (a, b, c, d)]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    with pytest.raises(ApplicationError):
        services.registration_create(actor=a, event=event)
    services.registration_cancel(actor=b, registration=Registration.objects.get(user=b))
    assert Registration.objects.get(user=c).status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(user=d).status == RegistrationStatus.WAITLISTED
    assert Notification.objects.filter(user=c, topic="event", key__startswith="event-promoted:").exists()
    again = services.registration_create(actor=b, event=event)  # back at the end of the queue
    assert again.status == RegistrationStatus.WAITLISTED
    with pytest.raises(ApplicationError):
        services.registration_cancel(actor=a, registration=Registration.objects.get(user=d))


def test_capacity_cannot_go_below_the_registrations_and_raising_it_moves_people_up(coordinator):
    event = coming_event(coordinator)
    people = [make_person(Role.EXPERT) for _ in range(3)]
    for person in people:
        services.registration_create(actor=person, event=event)
    event.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        services.event_update(actor=coordinator, event=event, version=event.version, capacity=1)
    assert refused.value.field == "capacity"
    services.event_update(actor=coordinator, event=event, version=event.version, capacity=3)
    assert Registration.objects.get(user=people[2]).status == RegistrationStatus.REGISTERED


def test_drafts_past_and_cancelled_events_take_no_registrations(coordinator, client):
    person = make_person(Role.NEED_OWNER)
    draft = coming_event(coordinator, publish=False)
    assert client.get(f"/veranstaltungen/{draft.pk}/").status_code == 403
    with pytest.raises(ApplicationError):
        services.registration_create(actor=person, event=draft)
    event = coming_event(coordinator)
    services.event_cancel(actor=coordinator, event=event)
    with pytest.raises(ApplicationError):
        services.registration_create(actor=person, event=event)
    with pytest.raises(ApplicationError) as nowhere:
        coming_event(coordinator, place="", online_url="")
    assert nowhere.value.field == "place"
    with pytest.raises(ApplicationError):
        coming_event(coordinator, ends_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_end_up_one_registered_one_waiting():
    """The seat count runs under a lock on the event row (SELECT … FOR UPDATE on PostgreSQL, an immediate
    transaction on SQLite), so both requests cannot see a free place."""
    if (connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:")) or "mode=memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("in-memory SQLite shares one connection between threads; run on PostgreSQL or a file")
    coordinator = make_person(Role.COORDINATOR)
    event = coming_event(coordinator, capacity=1)
    people = [make_person(Role.STARTUP_MEMBER) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def register(person):
        try:
            barrier.wait()
            results.append(services.registration_create(actor=person, event=event).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["registered", "waitlisted"]
    assert Registration.objects.filter(status="registered").count() == 1


def test_reminder_goes_out_once_to_registered_people(coordinator):
    from lotsenhaus.core import reminders

    event = coming_event(coordinator, starts_at=timezone.now() + datetime.timedelta(hours=20))
    event.ends_at = event.starts_at + datetime.timedelta(hours=1)
    waiting = make_person(Role.EXPERT)
    people = [make_person(Role.EXPERT) for _ in range(2)]
    for person in [*people, waiting]:
        services.registration_create(actor=person, event=event)
    counts = reminders.queue_all()
    reminders.queue_all()
    assert counts["events"] == 1
    reminded = set(Notification.objects.filter(key=f"event-reminder:{event.pk}").values_list("user_id", flat=True))
    assert reminded == {p.pk for p in people}


def test_ics_file_and_feed(coordinator, client):
    event = coming_event(coordinator, title="Pitch-Day Herbst")
    draft = coming_event(coordinator, publish=False, title="Noch geheim")
    single = client.get(f"/veranstaltungen/{event.pk}/termin.ics")
    assert single["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(single.content)
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Pitch-Day Herbst"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    feed = Calendar.from_ical(client.get("/veranstaltungen/kalender.ics").content)
    titles = {str(v["SUMMARY"]) for v in feed.walk("VEVENT")}
    assert "Pitch-Day Herbst" in titles and draft.title not in titles
    services.event_cancel(actor=coordinator, event=event)
    feed = Calendar.from_ical(client.get("/veranstaltungen/kalender.ics").content)
    assert [str(v["STATUS"]) for v in feed.walk("VEVENT")] == ["CANCELLED"]


def test_reverse_pitch_presents_published_needs_and_invites_registered_startups(coordinator):
    from tests.pipeline import build_world

    world = build_world()
    from lotsenhaus.needs.services import need_create

    draft = need_create(actor=world.owner, organisation=world.authority, title="Entwurf")
    with pytest.raises(ApplicationError):
        coming_event(coordinator, kind="reverse_pitch", needs=[draft])
    pitch = coming_event(coordinator, kind="reverse_pitch", capacity=None, needs=[world.need])
    services.registration_create(actor=world.members[0], event=pitch)
    services.registration_create(actor=world.expert, event=pitch)
    assert services.reverse_pitch_invite(actor=world.coordinator, event=pitch) == 1
    invitation = Notification.objects.get(user=world.members[0], key=f"reverse-pitch-invite:{pitch.pk}")
    assert world.need.title in invitation.body
    assert not Notification.objects.filter(user=world.expert, key__startswith="reverse-pitch").exists()
    page = world.client(world.members[0]).get(f"/veranstaltungen/{pitch.pk}/").content.decode()
    assert f"/bedarfe/{world.need.pk}/antwort/" in page


def test_register_and_cancel_on_the_pages_and_over_the_api(coordinator, client_for):
    event = coming_event(coordinator, capacity=1)
    first = client_for(Role.STARTUP_MEMBER)
    second = client_for(Role.NEED_OWNER)
    assert first.post(f"/veranstaltungen/{event.pk}/register/").status_code == 302
    assert "Sie sind angemeldet" in first.get(f"/veranstaltungen/{event.pk}/").content.decode()
    response = second.post(f"/api/v1/events/{event.pk}/registrations")
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    assert second.get(f"/api/v1/events/{event.pk}").json()["waiting"] == 1
    mine = Registration.objects.get(user=first.user)
    assert second.delete(f"/api/v1/registrations/{mine.pk}").status_code == 403
    assert first.post(f"/veranstaltungen/anmeldung/{mine.pk}/abmelden/").status_code == 302
    assert second.get("/api/v1/registrations").json()["results"][0]["status"] == "registered"
    # Only the unit creates events: a valid event from a startup is refused for its role, not for its content.
    start = timezone.now() + datetime.timedelta(days=5)
    valid = {
        "kind": "workshop",
        "title": "Eigener Termin",
        "description": "Von außen angelegt",
        "place": "Campus",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
    }
    assert first.post("/api/v1/events", valid, content_type="application/json").status_code == 403
    assert (
        client_for(Role.COORDINATOR).post("/api/v1/events", valid, content_type="application/json").status_code == 201
    )


def test_list_has_a_fixed_number_of_queries(coordinator, client):
    from django.test.utils import CaptureQueriesContext

    coming_event(coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get("/veranstaltungen/")
    for index in range(10):
        coming_event(coordinator, title=f"Termin {index}")
    with CaptureQueriesContext(connection) as many:
        body = client.get("/veranstaltungen/").content.decode()
    assert "Termin 9" in body and len(many) == len(few)


def test_upcoming_events_are_listed_by_date_past_ones_newest_first(coordinator):
    """Issue 17, D11: events came in the order they were created."""
    from lotsenhaus.events.selectors import event_list

    now = timezone.now()
    for days in (9, 2, 5):
        coming_event(coordinator, title=f"In {days} Tagen", starts_at=now + datetime.timedelta(days=days),
                     ends_at=now + datetime.timedelta(days=days, hours=2))  # fmt: skip
    assert [e.title for e in event_list(user=coordinator)] == ["In 2 Tagen", "In 5 Tagen", "In 9 Tagen"]


def test_registration_is_confirmed_by_mail_with_the_calendar_entry(coordinator, django_capture_on_commit_callbacks):
    """Issue 17: the person who registers hears back, with the .ics; the waiting list says so, without one."""
    from django.core import mail

    event = coming_event(coordinator, capacity=1)
    first, second = make_person(Role.STARTUP_MEMBER), make_person(Role.STARTUP_MEMBER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(actor=first, event=event)
        services.registration_create(actor=second, event=event)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {first.email, second.email}
    attached = by_person[first.email].attachments
    assert len(attached) == 1 and attached[0][2] == "text/calendar"
    calendar = Calendar.from_ical(attached[0][1])
    assert [str(c.get("summary")) for c in calendar.walk("VEVENT")] == [event.title]
    assert by_person[second.email].attachments == []
    # Moving up from the waiting list brings the calendar entry too.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=first, registration=Registration.objects.get(user=first))
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert mail.outbox[0].attachments[0][2] == "text/calendar"


def test_uids_are_unique_per_site_and_names_escaped(coordinator, settings):
    """Issue 18: UIDs `event-N@lotsenhaus` collided between installations; the calendar name was not escaped."""
    from lotsenhaus.events import ical

    event = coming_event(coordinator, title="Pitch-Day")
    settings.LOTSENHAUS_BASE_URL = "https://lotsenhaus.hamburg.example"
    first = Calendar.from_ical(ical.to_ics([event], "Termine; Hamburg, Campus"))
    settings.LOTSENHAUS_BASE_URL = "https://lotsenhaus.bremen.example"
    second = Calendar.from_ical(ical.to_ics([event], "Termine"))
    (a,), (b,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert str(a["UID"]) == f"event-{event.pk}@lotsenhaus.hamburg.example" and str(a["UID"]) != str(b["UID"])
    raw = ical.to_ics([event], "Termine; Hamburg, Campus").decode()
    assert "X-WR-CALNAME:Termine\\; Hamburg\\, Campus" in raw
