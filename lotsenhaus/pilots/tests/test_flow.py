"""The whole venture-client loop through the services, from a published need to the adoption decision."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.exploration.models import Source
from lotsenhaus.needs.models import Status
from lotsenhaus.notifications.models import Notification
from lotsenhaus.pilots import services as pi
from lotsenhaus.pilots.models import PilotStatus
from tests.pipeline import build_world, evaluate, explore
from tests.refusals import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

TODAY = timezone.localdate()


def test_from_publication_to_adoption(world):
    c = world.coordinator
    exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = pi.pilot_create(actor=c, need=world.need, candidate=candidates[0])
    assert exploration.candidates.filter(source=Source.ANSWER).count() == 2
    assert pilot.estimated_value == Decimal(40000) and pilot.goal == world.need.desired_outcome  # from price and need

    with refused("precondition"):
        pi.pilot_start(actor=c, pilot=pilot)
    pilot = pi.pilot_update(
        actor=c,
        pilot=pilot,
        version=pilot.version,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=90),
        budget=Decimal(48000),
        purchase_order="BA-2026-17",
        exit_criteria="Erkennungsquote unter 70 %",
        procedure_reason="Innovative Lösung, Venture-Client-Einheit beteiligt",
        jurisdiction="hh",
        venture_client=True,
        subject_matter="digitalisation",
        procedure_start=datetime.date(2026, 12, 10),
        avv_done=True,
        dpia="no",
        hosting_checked=True,
        certifications_checked=True,
        accessibility_checked=True,
    )
    assert pilot.advice["procedure"] == "experimentation_clause"
    pi.kpi_add(actor=c, pilot=pilot, name="Bearbeitungszeit", unit="Tage", baseline=Decimal(30), target=Decimal(15))
    pilot = pi.pilot_start(actor=c, pilot=pilot)
    world.need.refresh_from_db()
    assert (pilot.status, world.need.status) == (PilotStatus.RUNNING, Status.PILOT)

    created, updated = pi.measurements_import(
        actor=world.owner, pilot=pilot, content=f"KPI;Datum;Wert\nBearbeitungszeit;{TODAY.isoformat()};14,5\n".encode()
    )
    assert (created, updated) == (1, 0)
    decision = pi.pilot_decide(actor=c, pilot=pilot, decision="adopt", reasons="Ziel erreicht, Fachbereich überzeugt.")
    world.need.refresh_from_db()
    assert (world.need.status, world.need.outcome) == (Status.CLOSED, "adopted")
    assert decision.evidence[0]["reached"] is True
    pilot.refresh_from_db()
    assert "Bearbeitungszeit" in pilot.lessons_learned
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    for action in (
        "exploration.start",
        "candidate.update",
        "evaluation.open",
        "evaluation.submit",
        "pilot.start",
        "pilot.decide",
        "need.close",
    ):
        assert action in actions


@pytest.fixture
def world():
    return build_world()


def test_pilots_relying_on_the_clause_are_warned_from_60_days_before_it_ends(world):
    c = world.coordinator
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = pi.pilot_create(actor=c, need=world.need, candidate=candidates[0])
    pilot = pi.pilot_update(
        actor=c,
        pilot=pilot,
        version=pilot.version,
        start_date=datetime.date(2026, 12, 15),
        end_date=datetime.date(2027, 3, 15),
        jurisdiction="hh",
        venture_client=True,
        subject_matter="new_technology",
        procedure_start=datetime.date(2026, 12, 10),
    )
    assert pilot.advice["procedure"] == "experimentation_clause" and pilot.advice["clause_ends"] == "2026-12-31"
    assert pi.clause_expiry_notify(today=datetime.date(2026, 10, 31)) == 0  # 61 days before the end
    assert pi.clause_ends_soon(pilot, today=datetime.date(2026, 10, 31)) is None
    sent = pi.clause_expiry_notify(today=datetime.date(2026, 11, 1))  # 60 days before
    assert sent >= 1 and Notification.objects.filter(key__startswith=f"clause-expiry:{pilot.pk}:").exists()
    assert pi.clause_expiry_notify(today=datetime.date(2026, 11, 3)) == sent  # same key: nothing new is created
    assert Notification.objects.filter(key__startswith=f"clause-expiry:{pilot.pk}:").count() == sent
    assert pi.clause_ends_soon(pilot, today=datetime.date(2026, 12, 3)) == datetime.date(2026, 12, 31)


def test_the_pilot_page_shows_the_advice_in_full_and_the_lessons_article_once_written(world):
    """Issue 17, D17 (alternatives and the recorded justification were hidden) and D22 (the lessons-learned
    prompt stayed after the article existed)."""
    from django.urls import reverse

    from lotsenhaus.knowledge import services as knowledge
    from tests.pipeline import run_pilot

    c = world.coordinator
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = run_pilot(world, candidates[0])
    pi.pilot_decide(actor=c, pilot=pilot, decision="adopt", reasons="Ziel erreicht.")
    client = world.client(c)
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    write = reverse("knowledge:create") + f"?pilot={pilot.pk}"
    assert "Experimentierklausel" in page and "HmbVgRL Nr. 5 (vereinfachtes Verfahren" in page  # the alternative
    assert write in page
    article = knowledge.article_create(
        actor=c, kind="lessons_learned", title="Was wir aus dem Posteingang lernten", body="Text",
        visibility="internal", pilot=pilot,
    )  # fmt: skip
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert write not in page and reverse("knowledge:detail", args=[article.pk]) in page


def test_a_pilot_started_before_its_canvas_start_says_when_it_starts(world):
    """Issue 17: a pilot said "läuft" before its canvas start date."""
    from django.urls import reverse

    c = world.coordinator
    _exploration, candidates = explore(world)
    evaluate(world, candidates)
    pilot = pi.pilot_create(actor=c, need=world.need, candidate=candidates[0])
    start = timezone.localdate() + datetime.timedelta(days=14)
    pilot = pi.pilot_update(
        actor=c, pilot=pilot, version=pilot.version, start_date=start, end_date=start + datetime.timedelta(days=90),
        budget=Decimal(40000), purchase_order="BA-1", exit_criteria="Quote", estimated_value=Decimal(40000),
        jurisdiction="hh", venture_client=True, subject_matter="digitalisation",
        procedure_start=datetime.date(2026, 12, 10), procedure_reason="Klausel", avv_done=True, dpia="no",
        hosting_checked=True, certifications_checked=True, accessibility_checked=True,
    )  # fmt: skip
    pi.kpi_add(actor=c, pilot=pilot, name="Zeit", unit="Tage", baseline=Decimal(30), target=Decimal(15))
    pilot = pi.pilot_start(actor=c, pilot=pilot)
    page = world.client(c).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    badge = page.split('kern-badge--info">')[1].split("</span></span>")[0]
    assert "beginnt am" in badge and "Läuft" not in badge
