from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.needs.selectors import answer_counts
from lotsenhaus.pilots.selectors import pilot_counts

from .filters import EnrolmentFilterSet
from .models import AdvisoryMilestone, AdvisorySession, Enrolment, EnrolmentStatus
from .progress import annotated
from .rules import VISIBLE_ENROLMENTS


def enrolments(
    *, user: Actor, filters: EnrolmentFilterSet | Mapping[str, Any] | None = None, today: date | None = None
) -> QuerySet[Enrolment]:
    """All enrolments for the unit; a startup's members see their own."""
    qs = VISIBLE_ENROLMENTS.restrict(Enrolment.objects.select_related("startup__organisation", "advisor"), user)
    qs = annotated(qs, today or timezone.localdate()).order_by("status", "startup__organisation__name")
    return EnrolmentFilterSet.apply(filters, qs) if filters else qs


def enrolled_startup_ids() -> list[int]:
    return list(Enrolment.objects.values_list("startup_id", flat=True))


def enrolment_get(*, user: Actor, pk: int) -> Enrolment:
    return get_object_or_404(enrolments(user=user), pk=pk)


def milestones(*, enrolment: Enrolment) -> QuerySet[AdvisoryMilestone]:
    return enrolment.milestones.all()


def sessions(*, enrolment: Enrolment) -> QuerySet[AdvisorySession]:
    return enrolment.sessions.select_related("created_by")


def milestone_get(*, user: Actor, pk: int) -> AdvisoryMilestone:
    milestone = get_object_or_404(AdvisoryMilestone.objects.select_related("enrolment__startup"), pk=pk)
    if not user.has_perm("advisory.view_enrolment", milestone.enrolment):
        raise PermissionDenied
    return milestone


def evidence(*, startup_ids: list[int]) -> dict[int, dict[str, int]]:
    """What the platform itself knows: answers submitted and pilots, per startup."""
    answers = answer_counts(startup_ids=startup_ids)
    pilots = pilot_counts(startup_ids=startup_ids)
    return {pk: {"answers": answers.get(pk, 0), "pilots": pilots.get(pk, 0)} for pk in startup_ids}


def milestones_due(*, today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(
        AdvisoryMilestone.objects.filter(
            enrolment__status=EnrolmentStatus.ACTIVE, done_on__isnull=True, due_on__lte=today + timedelta(days=7)
        ).values_list("pk", flat=True)
    )
