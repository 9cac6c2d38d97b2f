from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotsenhaus.accounts.actors import Actor

from .models import Kpi, Measurement, Milestone, Pilot, PilotDecision, PilotStatus, RiskItem, StatusReport
from .rules import VISIBLE_PILOTS

REMINDER_DAYS = 7


def pilot_list(*, user: Actor) -> QuerySet[Pilot]:
    """All pilots for the unit; otherwise those of the person's authority or startup."""
    qs = Pilot.objects.select_related("need__organisation", "startup__organisation").order_by("-created_at")
    return VISIBLE_PILOTS.restrict(qs, user)


def pilot_get(*, user: Actor, pk: int) -> Pilot:
    pilot = get_object_or_404(
        Pilot.objects.select_related("need__organisation", "startup__organisation", "candidate", "ai_use_case"),
        pk=pk,
    )
    if not user.has_perm("pilots.view_pilot", pilot):
        raise PermissionDenied
    return pilot


def pilot_of_need(*, need: Any) -> Pilot | None:
    return Pilot.objects.filter(need=need).select_related("startup__organisation").first()


def kpis(*, pilot: Pilot) -> list[Kpi]:
    return list(
        pilot.kpis.prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on")))
    )


def milestones(*, pilot: Pilot) -> QuerySet[Milestone]:
    return pilot.milestones.select_related("owner")


def status_reports(*, pilot: Pilot) -> QuerySet[StatusReport]:
    return pilot.reports.select_related("author")


def risks(*, pilot: Pilot) -> QuerySet[RiskItem]:
    return pilot.risks.select_related("created_by")


def decisions(*, pilot: Pilot) -> QuerySet[PilotDecision]:
    return pilot.decisions.select_related("decided_by").prefetch_related("scale_to")


def latest(kpi: Kpi) -> Measurement | None:
    measurements = list(kpi.measurements.all())
    return measurements[-1] if measurements else None


def kpi_evidence(*, pilot: Pilot) -> list[dict[str, Any]]:
    """Each KPI with baseline, target, the latest value and whether the target is reached."""
    evidence = []
    for kpi in kpis(pilot=pilot):
        last = latest(kpi)
        reached = None
        if last is not None:
            reached = last.value >= kpi.target if kpi.higher_is_better else last.value <= kpi.target
        evidence.append(
            {
                "kpi": kpi.name,
                "unit": kpi.unit,
                "baseline": str(kpi.baseline),
                "target": str(kpi.target),
                "latest": str(last.value) if last else None,
                "measured_on": last.measured_on.isoformat() if last else None,
                "reached": reached,
            }
        )
    return evidence


def milestones_due(*, today: date | None = None) -> list[int]:
    """Open milestones of running pilots due within a week that have not been reminded of yet."""
    today = today or timezone.localdate()
    return list(
        Milestone.objects.filter(
            pilot__status=PilotStatus.RUNNING,
            done_on__isnull=True,
            reminded_at__isnull=True,
            due_on__lte=today + timedelta(days=REMINDER_DAYS),
        ).values_list("pk", flat=True)
    )


def pilot_counts(*, startup_ids: list[int]) -> dict[int, int]:
    """Pilots per startup (for the advisory track's progress view)."""
    rows = Pilot.objects.filter(startup_id__in=startup_ids).values("startup_id").annotate(n=Count("id"))
    return dict(rows.values_list("startup_id", "n"))
