from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.needs.selectors import answer_counts
from lotsenhaus.pilots.selectors import pilot_counts

from .models import AdvisoryMilestone, AdvisorySession, Enrolment, EnrolmentStatus
from .rules import VISIBLE_ENROLMENTS

# Without a session for this long, an active startup counts as stuck.
QUIET_DAYS = 90


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int
    last_session: date | None
    next_due: date | None
    stuck_reasons: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def stuck(self) -> bool:
        return bool(self.stuck_reasons)


def _annotated(qs: QuerySet[Enrolment], today: date) -> QuerySet[Enrolment]:
    return qs.annotate(
        milestones_total=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        milestones_overdue=Count(
            "milestones", filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today), distinct=True
        ),
        next_due=Min("milestones__due_on", filter=Q(milestones__done_on__isnull=True)),
        last_session=Max("sessions__held_on"),
    )


def progress(enrolment: Any, today: date | None = None) -> Progress:
    """How far a startup is, and why it counts as stuck (an overdue milestone, or no session for 90 days).

    Reads the counts that ``enrolments`` annotates, so a list of any length costs one query.
    """
    today = today or timezone.localdate()
    reasons = []
    if enrolment.status == EnrolmentStatus.ACTIVE:
        if enrolment.milestones_overdue:
            reasons.append(_("%(count)s milestone(s) overdue") % {"count": enrolment.milestones_overdue})
        since = enrolment.last_session or enrolment.admitted_on
        if (today - since).days > QUIET_DAYS:
            reasons.append(_("no advisory session for more than %(days)s days") % {"days": QUIET_DAYS})
    return Progress(
        enrolment.milestones_done,
        enrolment.milestones_total,
        enrolment.milestones_overdue,
        enrolment.last_session,
        enrolment.next_due,
        tuple(reasons),
    )


def enrolments(*, user: Actor, today: date | None = None) -> QuerySet[Enrolment]:
    """All enrolments for the unit; a startup's members see their own."""
    qs = VISIBLE_ENROLMENTS.restrict(Enrolment.objects.select_related("startup__organisation", "advisor"), user)
    return _annotated(qs, today or timezone.localdate()).order_by("status", "startup__organisation__name")


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
