"""Carry demo needs through the venture-client pipeline with the real services, so every record is genuine:
long list, contacts, a shared question, an evaluation with two jurors, a designed and a running pilot with
KPIs, and one adopted pilot. Only the dates are spread afterwards, so that the portfolio shows time passing."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lotsenhaus.evaluations import services as evaluations
from lotsenhaus.evaluations.models import CriterionKind
from lotsenhaus.exploration import services as exploration
from lotsenhaus.exploration.models import CandidateStatus
from lotsenhaus.needs.models import Need, Status, Transition
from lotsenhaus.pilots import services as pilots
from lotsenhaus.pilots.models import Decision
from lotsenhaus.startups.models import StartupProfile, Verification

ORDER = ["published", "exploration", "evaluation", "pilot", "closed"]
LEVELS = ["ungenügend", "schwach", "teilweise erfüllt", "erfüllt", "gut erfüllt", "hervorragend"]
# Days spent in each state by the demo needs, so that the portfolio's medians are not all zero.
DAYS_IN = {"draft": 6, "in_review": 4, "published": 28, "exploration": 35, "evaluation": 21, "pilot": 110}


def advance(need: Need, target: str, coordinator: Any, expert: Any) -> None:
    if need.status != Status.PUBLISHED or ORDER.index(target) <= 0:
        return
    today = timezone.localdate()
    run = exploration.exploration_start(
        actor=coordinator,
        need=need,
        method=(
            "Suche auf der Plattform, Hinweise des KI-Zentrums und des GovTech-Campus, "
            "zwei Gespräche auf dem Pitch-Day."
        ),
    )
    exploration.candidates_add_suggestions(actor=coordinator, exploration=run, limit=5)
    listed = list(run.candidates.select_related("startup__organisation").order_by("pk"))
    if len(listed) < 3:
        for profile in StartupProfile.objects.filter(verification=Verification.VERIFIED).exclude(
            pk__in=[c.startup_id for c in listed]
        )[: 3 - len(listed)]:
            listed.append(
                exploration.candidate_add(actor=coordinator, exploration=run, startup=profile, note="Aus dem Netzwerk")
            )
    for candidate in listed[:3]:
        exploration.contact_add(
            actor=coordinator,
            candidate=candidate,
            happened_on=today - datetime.timedelta(days=3),
            channel="video",
            participants="Koordination, Fachbereich, Gründungsteam",
            summary="Vorstellung der Lösung, Fragen zu Hosting und Datenschutz.",
        )
    question = exploration.question_ask(
        actor=coordinator, candidate=listed[0], text="Dürfen Testdaten aus dem Echtbetrieb verwendet werden?"
    )
    exploration.question_answer(
        actor=coordinator, question=question, answer="Nein, es werden anonymisierte Testdaten bereitgestellt."
    )
    exploration.question_share(actor=coordinator, question=question)
    for index, candidate in enumerate(listed):
        candidate.refresh_from_db()
        if index < 2:
            exploration.candidate_update(
                actor=coordinator, candidate=candidate, version=candidate.version, status=CandidateStatus.SHORTLIST
            )
        elif index == 2:
            exploration.candidate_update(
                actor=coordinator,
                candidate=candidate,
                version=candidate.version,
                status=CandidateStatus.EXCLUDED,
                exclusion_reason="Betrieb nur in einer Cloud außerhalb der EU möglich.",
            )
    run.refresh_from_db()
    exploration.exploration_update(
        actor=coordinator,
        exploration=run,
        version=run.version,
        recommendation="Pilot mit dem bestbewerteten Startup der Shortlist.",
        recommendation_reasons="Beide Lösungen erfüllen die Muss-Kriterien; die Bewertung entscheidet.",
    )
    if ORDER.index(target) < ORDER.index("evaluation"):
        return
    need.refresh_from_db()
    evaluation = evaluations.evaluation_start(actor=coordinator, need=need)
    evaluations.criterion_add(
        actor=coordinator, evaluation=evaluation, kind="exclusion", name="Betrieb in Rechenzentren in der EU"
    )
    quality = evaluations.criterion_add(
        actor=coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Fachliche Qualität",
        weight=Decimal(50),
        levels=LEVELS,
    )
    evaluations.criterion_add(
        actor=coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Integration in bestehende Systeme",
        weight=Decimal(30),
        levels=LEVELS,
    )
    evaluations.criterion_add(
        actor=coordinator,
        evaluation=evaluation,
        kind="weighted",
        name="Barrierefreiheit",
        weight=Decimal(20),
        levels=LEVELS,
    )
    for person in (coordinator, expert):
        evaluations.evaluator_invite(actor=coordinator, evaluation=evaluation, user=person)
    evaluations.evaluation_open(actor=coordinator, evaluation=evaluation)
    shortlisted = listed[:2]
    for person_index, person in enumerate((coordinator, expert)):
        for candidate_index, candidate in enumerate(shortlisted):
            evaluations.conflict_declare(actor=person, evaluation=evaluation, candidate=candidate, conflicted=False)
            values: dict[int, dict[str, Any]] = {}
            for criterion in evaluation.criteria.all():
                if criterion.kind == CriterionKind.EXCLUSION:
                    values[criterion.pk] = {"passed": True}
                else:
                    values[criterion.pk] = {
                        "points": max(0, 4 - candidate_index + (criterion == quality) - person_index)
                    }
            evaluations.scores_save(actor=person, evaluation=evaluation, candidate=candidate, values=values)
        if target != "evaluation" or person_index == 0:
            evaluations.evaluation_submit(actor=person, evaluation=evaluation)
    for candidate, price in zip(shortlisted, (Decimal(48000), Decimal(39500)), strict=True):
        evaluations.price_set(actor=coordinator, evaluation=evaluation, candidate=candidate, amount=price)
    if ORDER.index(target) < ORDER.index("pilot"):
        return
    evaluations.evaluation_close(actor=coordinator, evaluation=evaluation)
    need.refresh_from_db()
    pilot = pilots.pilot_create(actor=coordinator, need=need, candidate=shortlisted[0])
    start = today - datetime.timedelta(days=100 if target == "closed" else 40)
    pilot = pilots.pilot_update(
        actor=coordinator,
        pilot=pilot,
        version=pilot.version,
        hypotheses="Wenn die Prüfung beim Eingang automatisiert läuft, sinkt die Bearbeitungszeit um die Hälfte.",
        scope="Ein Fachbereich, echte Vorgänge mit anonymisierten Testdaten in den ersten zwei Wochen.",
        start_date=start,
        end_date=start + datetime.timedelta(days=110),
        participating_units="Fachabteilung, IT-Dienstleister, Datenschutz",
        budget=Decimal(48000),
        purchase_order=f"BA-{today.year}-{need.pk:03d}",
        startup_duties="Betrieb, Schulung, wöchentlicher Bericht",
        authority_duties="Testdaten, Ansprechperson, Auswertung",
        exit_criteria="Weniger als 70 % der Fälle richtig erkannt nach sechs Wochen.",
        follow_up="Rahmenvertrag über zwei Jahre für alle Bezirksämter.",
        innovative=True,
        jurisdiction="hh",
        venture_client=True,
        subject_matter="digitalisation",
        procedure_start=start - datetime.timedelta(days=21),
        it_kind="saas",
        procedure_reason="Innovative Lösung, Venture-Client-Einheit beteiligt, Wert unter 100.000 €.",
        avv_done=True,
        dpia="no",
        hosting_checked=True,
        certifications_checked=True,
        accessibility_checked=True,
    )
    kpi = pilots.kpi_add(
        actor=coordinator, pilot=pilot, name="Bearbeitungszeit", unit="Tage", baseline=Decimal(30), target=Decimal(15)
    )
    pilots.kpi_add(
        actor=coordinator,
        pilot=pilot,
        name="Zufriedenheit der Sachbearbeitung",
        unit="Punkte (1–5)",
        baseline=Decimal("2.8"),
        target=Decimal("4.0"),
    )
    pilot = pilots.pilot_start(actor=coordinator, pilot=pilot)
    for weeks, value in ((1, "28"), (3, "22"), (5, "18"), (8, "14.5")):
        day = start + datetime.timedelta(weeks=weeks)
        if day <= today:
            pilots.measurement_record(actor=coordinator, kpi=kpi, measured_on=day, value=Decimal(value))
    pilots.milestone_add(
        actor=coordinator, pilot=pilot, title="Zwischenauswertung", due_on=start + datetime.timedelta(days=45)
    )
    pilots.milestone_add(
        actor=coordinator, pilot=pilot, title="Abschlussbericht", due_on=start + datetime.timedelta(days=105)
    )
    pilots.status_report_add(
        actor=coordinator, pilot=pilot, text="Schnittstelle zum Fachverfahren läuft; erste Fälle werden geprüft."
    )
    pilots.risk_add(
        actor=coordinator,
        pilot=pilot,
        kind="risk",
        title="Scanqualität alter Akten",
        severity="medium",
        mitigation="Nur neue Eingänge im Pilot",
    )
    if target == "closed":
        pilots.pilot_decide(
            actor=coordinator,
            pilot=pilot,
            decision=Decision.ADOPT,
            reasons="Bearbeitungszeit halbiert, Fachbereich überzeugt; Regelbeschaffung vorbereiten.",
        )


def spread_dates() -> None:
    """Give the demo needs a believable past: each state took some days (see ``DAYS_IN``)."""
    now = timezone.now()
    for need in Need.objects.prefetch_related("transitions"):
        steps = list(need.transitions.all())
        total = sum(DAYS_IN.get(step.from_status, 10) for step in steps) + 5
        moment = now - datetime.timedelta(days=total)
        Need.objects.filter(pk=need.pk).update(created_at=moment)
        for step in steps:
            moment += datetime.timedelta(days=DAYS_IN.get(step.from_status, 10))
            Transition.objects.filter(pk=step.pk).update(at=moment)
