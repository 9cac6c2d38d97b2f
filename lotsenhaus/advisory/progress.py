"""How far a startup in the advisory track is, and whether it is stuck: one definition for the pages, the API and
the list's filter."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrolment, EnrolmentStatus

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


def annotated(qs: QuerySet[Enrolment], today: date) -> QuerySet[Enrolment]:
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
