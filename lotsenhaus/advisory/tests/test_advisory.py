"""The two-year advisory track: admission with a plan, sessions the startup reads, progress and who is stuck."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lotsenhaus.advisory import selectors, services
from lotsenhaus.advisory.progress import progress
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import Role
from lotsenhaus.notifications.models import Notification
from tests.factories import make_person
from tests.pipeline import startup

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def admitted():
    coordinator = make_person(Role.COORDINATOR)
    profile, member, _solution = startup("Aktenblick GmbH")
    enrolment = services.enrolment_admit(
        actor=coordinator, startup=profile, advisor=coordinator, admitted_on=TODAY - datetime.timedelta(days=100)
    )
    return coordinator, member, enrolment


def test_admission_makes_a_two_year_plan_and_welcomes_the_startup(admitted):
    coordinator, member, enrolment = admitted
    assert enrolment.ends_on == enrolment.admitted_on.replace(year=enrolment.admitted_on.year + 2)
    kinds = list(enrolment.milestones.order_by("due_on").values_list("kind", flat=True))
    assert kinds == ["first_answer", "first_pilot", "certification", "first_contract"]
    assert Notification.objects.filter(user=member, topic="advisory").exists()
    with pytest.raises(ApplicationError):
        services.enrolment_admit(actor=coordinator, startup=enrolment.startup, advisor=coordinator, admitted_on=TODAY)
    other, _m, _s = startup("Formfix UG")
    with pytest.raises(ApplicationError):
        services.enrolment_admit(actor=coordinator, startup=other, advisor=member, admitted_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.enrolment_admit(actor=member, startup=other, advisor=coordinator, admitted_on=TODAY)
    with pytest.raises(ApplicationError) as far:
        services.enrolment_admit(
            actor=coordinator, startup=other, advisor=coordinator, admitted_on=TODAY.replace(year=TODAY.year + 5)
        )
    assert far.value.field == "admitted_on"
    with pytest.raises(ApplicationError) as future:
        services.session_add(
            actor=coordinator, enrolment=enrolment, held_on=TODAY + datetime.timedelta(days=1), topic="x", notes="y"
        )
    assert future.value.field == "held_on"


def test_stuck_when_a_milestone_is_overdue_or_no_session_for_90_days(admitted):
    coordinator, member, enrolment = admitted
    state = progress(selectors.enrolment_get(user=coordinator, pk=enrolment.pk))
    assert state.stuck and state.overdue == 1 and len(state.stuck_reasons) == 2
    first = enrolment.milestones.get(kind="first_answer")
    services.milestone_complete(actor=member, milestone=first, done_on=TODAY)
    services.session_add(actor=coordinator, enrolment=enrolment, held_on=TODAY, topic="Auftakt", notes="Ziele")
    state = progress(selectors.enrolment_get(user=coordinator, pk=enrolment.pk))
    assert not state.stuck and state.percent == 25 and state.last_session == TODAY
    with pytest.raises(ApplicationError):
        services.milestone_complete(actor=member, milestone=first, done_on=TODAY)


def test_the_startup_reads_its_notes_others_do_not(admitted, client_for):
    coordinator, member, enrolment = admitted
    services.session_add(
        actor=coordinator, enrolment=enrolment, held_on=TODAY, topic="Zertifizierung", notes="C5-Lücken besprochen"
    )
    from django.test import Client

    own = Client()
    own.force_login(member)
    page = own.get(f"/begleitprogramm/{enrolment.pk}/").content.decode()
    assert "C5-Lücken besprochen" in page and 'value="session"' not in page
    assert own.post(f"/begleitprogramm/{enrolment.pk}/", {"form": "session"}).status_code == 403
    assert client_for(Role.STARTUP_MEMBER).get(f"/begleitprogramm/{enrolment.pk}/").status_code == 404
    assert client_for(Role.NEED_OWNER).get(f"/begleitprogramm/{enrolment.pk}/").status_code == 404
    assert Notification.objects.filter(user=member, key__startswith="advisory-session").exists()
    listing = client_for(Role.STARTUP_MEMBER).get("/begleitprogramm/").content.decode()
    assert "nicht im Begleitprogramm" in listing


def test_the_unit_sees_who_is_stuck_first_and_admits_on_the_page(admitted):
    coordinator, _member, _enrolment = admitted
    fresh, _m, _s = startup("Datenlotse GmbH")
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/begleitprogramm/",
        {"form": "admit", "admit-startup": fresh.pk, "admit-advisor": coordinator.pk, "admit-admitted_on": TODAY},
    )
    assert response.status_code == 302
    body = client.get("/begleitprogramm/").content.decode()
    assert body.index("Aktenblick") < body.index("Datenlotse") and "1 Startup stockt" in body
    only = client.get("/begleitprogramm/?stuck=on").content.decode()
    assert "Aktenblick" in only and "Datenlotse" not in only


def test_milestone_reminders_once_and_api(admitted, client_for):
    from lotsenhaus.core import reminders

    coordinator, member, enrolment = admitted
    reminders.queue_all()
    reminders.queue_all()
    assert Notification.objects.filter(user=member, key__startswith="advisory-milestone").count() == 1
    from django.test import Client

    api = Client()
    api.force_login(coordinator)
    detail = api.get(f"/api/v1/advisory/enrolments/{enrolment.pk}").json()
    assert len(detail["milestones"]) == 4 and detail["stuck_reasons"]
    added = api.post(
        f"/api/v1/advisory/enrolments/{enrolment.pk}/sessions",
        {"held_on": str(TODAY), "topic": "Review", "notes": "Plan angepasst"},
        content_type="application/json",
    )
    assert added.status_code == 201
    milestone_id = detail["milestones"][0]["id"]
    own = Client()
    own.force_login(member)
    done = own.post(
        f"/api/v1/advisory/milestones/{milestone_id}/done", {"done_on": str(TODAY)}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["done_on"] == str(TODAY)
    assert (
        own.post(
            f"/api/v1/advisory/enrolments/{enrolment.pk}/sessions",
            {"held_on": str(TODAY), "topic": "x", "notes": "y"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client_for(Role.STARTUP_MEMBER).get(f"/api/v1/advisory/enrolments/{enrolment.pk}").status_code == 404
    assert [e["startup"] for e in own.get("/api/v1/advisory/enrolments").json()["results"]] == ["Aktenblick GmbH"]


def test_the_overview_has_a_fixed_number_of_queries(admitted):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    coordinator, _member, _enrolment = admitted
    client = Client()
    client.force_login(coordinator)
    client.get("/begleitprogramm/")
    with CaptureQueriesContext(connection) as one:
        client.get("/begleitprogramm/")
    for index in range(8):
        profile, _m, _s = startup(f"Weitere {index} GmbH")
        admitted_one = services.enrolment_admit(
            actor=coordinator, startup=profile, advisor=coordinator, admitted_on=TODAY
        )
        services.session_add(actor=coordinator, enrolment=admitted_one, held_on=TODAY, topic="Start", notes="x")
    with CaptureQueriesContext(connection) as nine:
        body = client.get("/begleitprogramm/").content.decode()
    assert "Weitere 7 GmbH" in body and len(nine) == len(one)
