"""The whole venture-client loop through the services, from a published need to the adoption decision."""

import datetime
import shutil
from decimal import Decimal

import pytest
from django.utils import timezone

from lotsenhaus.challenges.models import Status
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.evaluations import services as ev
from lotsenhaus.exploration import services as ex
from lotsenhaus.exploration.models import CandidateStatus, Source
from lotsenhaus.pilots import services as pi
from lotsenhaus.pilots.models import PilotStatus
from tests.pipeline import build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


def run_to_pilot(world, *, conflicted_expert=False):
    """Exploration, evaluation and a designed pilot; returns (exploration, evaluation, pilot, candidates)."""
    c = world.coordinator
    exploration = ex.exploration_start(
        actor=c, challenge=world.need, method="Plattformsuche und Netzwerk des KI-Zentrums"
    )
    listed = list(exploration.candidates.order_by("pk"))
    manual = ex.candidate_add(actor=c, exploration=exploration, startup=world.startups[2], note="Empfehlung vom Campus")
    first, second = listed
    first = ex.candidate_update(actor=c, candidate=first, version=first.version, status=CandidateStatus.SHORTLIST)
    second = ex.candidate_update(actor=c, candidate=second, version=second.version, status=CandidateStatus.SHORTLIST)
    ex.candidate_update(
        actor=c,
        candidate=manual,
        version=manual.version,
        status=CandidateStatus.EXCLUDED,
        exclusion_reason="Kein Hosting in der EU",
    )
    world.need.refresh_from_db()
    evaluation = ev.evaluation_start(actor=c, challenge=world.need)
    ev.criterion_add(actor=c, evaluation=evaluation, kind="exclusion", name="Hosting in der EU")
    quality = ev.criterion_add(
        actor=c,
        evaluation=evaluation,
        kind="weighted",
        name="Qualität",
        weight=Decimal(60),
        levels=[f"Stufe {i}" for i in range(6)],
    )
    ev.criterion_add(
        actor=c,
        evaluation=evaluation,
        kind="weighted",
        name="Umsetzbarkeit",
        weight=Decimal(40),
        levels=[f"Stufe {i}" for i in range(6)],
    )
    ev.evaluator_invite(actor=c, evaluation=evaluation, user=world.owner)
    ev.evaluator_invite(actor=c, evaluation=evaluation, user=world.expert)
    ev.evaluation_open(actor=c, evaluation=evaluation)
    criteria = list(evaluation.criteria.all())
    for person, points in ((world.owner, (4, 3)), (world.expert, (5, 2))):
        for candidate, bonus in ((first, 0), (second, -1)):
            conflicted = conflicted_expert and person == world.expert and candidate == second
            ev.conflict_declare(actor=person, evaluation=evaluation, candidate=candidate, conflicted=conflicted)
            if conflicted:
                continue
            values = {}
            for criterion in criteria:
                if criterion.kind == "exclusion":
                    values[criterion.pk] = {"passed": True}
                else:
                    values[criterion.pk] = {"points": (points[0] if criterion == quality else points[1]) + bonus}
            ev.scores_save(actor=person, evaluation=evaluation, candidate=candidate, values=values)
        ev.evaluation_submit(actor=person, evaluation=evaluation)
    ev.price_set(actor=c, evaluation=evaluation, candidate=first, amount=Decimal(48000))
    ev.price_set(actor=c, evaluation=evaluation, candidate=second, amount=Decimal(30000))
    ev.evaluation_close(actor=c, evaluation=evaluation)
    world.need.refresh_from_db()
    pilot = pi.pilot_create(actor=c, challenge=world.need, candidate=first)
    return exploration, evaluation, pilot, (first, second, manual)


def test_from_publication_to_adoption(world):
    c = world.coordinator
    exploration, _evaluation, pilot, _candidates = run_to_pilot(world)
    assert exploration.candidates.filter(source=Source.ANSWER).count() == 2
    assert pilot.estimated_value == Decimal(48000) and pilot.goal == world.need.desired_outcome

    with pytest.raises(ApplicationError, match=r"ergänzen Sie bitte: .*Hosting geprüft"):
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
        "challenge.close",
    ):
        assert action in actions


@pytest.fixture
def world():
    return build_world()
