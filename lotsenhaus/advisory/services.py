"""Every write to the advisory track."""

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import clean_or_refuse, require_permission, versioned_edit
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import people_of, unit_staff

from . import audit_actions
from .models import DEFAULT_PLAN, AdvisoryMilestone, AdvisorySession, Enrolment, EnrolmentStatus, MilestoneKind

PROGRAMME_YEARS = 2
ENROLMENT_FIELDS = ["advisor", "goals", "status", "ends_on"]


def _check_advisor(user: Actor) -> None:
    if not unit_staff().filter(pk=user.pk).exists():
        raise ApplicationError(
            _("The advisor must be a member of the venture-client unit."), field="advisor", code="not_allowed"
        )


def _startup_people(enrolment: Enrolment) -> list[Any]:
    return list(people_of(organisation_ids=[enrolment.startup.organisation_id]))


def _url(enrolment: Enrolment) -> str:
    return reverse("advisory:detail", args=[enrolment.pk])


@transaction.atomic
def enrolment_admit(*, actor: User, startup: Any, advisor: Any, admitted_on: date, goals: str = "") -> Enrolment:
    """Admit a startup for two years, with the default plan of milestones."""
    require_permission(actor, "advisory.manage")
    _check_advisor(advisor)
    today = timezone.localdate()
    if not today - relativedelta(years=PROGRAMME_YEARS) <= admitted_on <= today + relativedelta(years=1):
        raise ApplicationError(
            _("The admission date must lie within the last two years or the coming year."),
            field="admitted_on",
            code="invalid_date",
        )
    if Enrolment.objects.filter(startup=startup).exists():
        raise ApplicationError(_("This startup is already in the programme."), field="startup", code="duplicate")
    enrolment = Enrolment(
        startup=startup,
        advisor=advisor,
        admitted_on=admitted_on,
        ends_on=admitted_on + relativedelta(years=PROGRAMME_YEARS),
        goals=goals.strip(),
    )
    clean_or_refuse(enrolment)
    enrolment.save()
    AdvisoryMilestone.objects.bulk_create(
        AdvisoryMilestone(
            enrolment=enrolment,
            kind=kind,
            title=str(MilestoneKind(kind).label),
            due_on=admitted_on + relativedelta(months=months),
        )
        for kind, months in DEFAULT_PLAN
    )
    audit(
        actor=actor,
        action=audit_actions.ADVISORY_ADMIT,
        obj=enrolment,
        changes={"startup": [None, startup.organisation.name], "advisor": [None, advisor.pk]},
    )
    notifications_send(
        recipients=[*_startup_people(enrolment), advisor],
        actor=actor,
        topic=Topic.ADVISORY,
        title=lambda: _("Welcome to the advisory track: %(startup)s") % {"startup": startup.organisation.name},
        body=lambda: (
            _("Your advisor is %(advisor)s. The plan of milestones is on the programme page.") % {"advisor": advisor}
        ),
        url=_url(enrolment),
        key=f"advisory-admitted:{enrolment.pk}",
    )
    return enrolment


@transaction.atomic
def enrolment_update(*, actor: User, enrolment: Enrolment, version: int, **fields: Any) -> Enrolment:
    require_permission(actor, "advisory.manage")
    edit = versioned_edit(
        Enrolment.objects.select_related("startup__organisation"),
        enrolment.pk,
        version,
        fields,
        ENROLMENT_FIELDS,
        _("Someone else has changed this enrolment in the meantime. Please reload the page."),
    )
    if "advisor" in fields:
        _check_advisor(edit.obj.advisor)
    edit.save(actor=actor, action=audit_actions.ADVISORY_UPDATE)
    return edit.obj


@transaction.atomic
def milestone_add(
    *, actor: User, enrolment: Enrolment, title: str, due_on: date, kind: str = "other"
) -> AdvisoryMilestone:
    require_permission(actor, "advisory.manage")
    milestone = AdvisoryMilestone(enrolment=enrolment, kind=kind, title=title.strip(), due_on=due_on)
    clean_or_refuse(milestone, exclude=["enrolment"])
    if not enrolment.admitted_on <= due_on <= enrolment.ends_on:
        raise ApplicationError(_("The date must lie within the programme."), field="due_on", code="invalid_date")
    milestone.save()
    audit(actor=actor, action=audit_actions.ADVISORY_MILESTONE_ADD, obj=enrolment, changes={"milestone": [None, title]})
    return milestone


@transaction.atomic
def milestone_complete(
    *, actor: User, milestone: AdvisoryMilestone, done_on: date, note: str = ""
) -> AdvisoryMilestone:
    current = (
        AdvisoryMilestone.objects.select_for_update(of=("self",))
        .select_related("enrolment__startup")
        .get(pk=milestone.pk)
    )
    require_permission(actor, "advisory.complete_milestone", current.enrolment)
    if current.done_on is not None:
        raise ApplicationError(_("This milestone is already done."), code="wrong_state")
    if done_on < current.enrolment.admitted_on:
        raise ApplicationError(_("The date lies before the admission."), field="done_on", code="invalid_date")
    current.done_on = done_on
    current.note = note.strip()[:500]
    current.save(update_fields=["done_on", "note"])
    audit(
        actor=actor,
        action=audit_actions.ADVISORY_MILESTONE_DONE,
        obj=current.enrolment,
        changes={"milestone": current.title, "done_on": [None, done_on.isoformat()]},
    )
    return current


@transaction.atomic
def session_add(
    *, actor: User, enrolment: Enrolment, held_on: date, topic: str, notes: str, next_steps: str = ""
) -> AdvisorySession:
    require_permission(actor, "advisory.manage")
    if held_on > timezone.localdate() or held_on < enrolment.admitted_on:
        raise ApplicationError(
            _("A session is recorded after it took place, within the programme."), field="held_on", code="invalid_date"
        )
    session = AdvisorySession(
        enrolment=enrolment,
        held_on=held_on,
        topic=topic.strip(),
        notes=notes.strip(),
        next_steps=next_steps.strip(),
        created_by=actor,
    )
    clean_or_refuse(session, exclude=["enrolment", "created_by"])
    session.save()
    audit(actor=actor, action=audit_actions.ADVISORY_SESSION_ADD, obj=enrolment, changes={"session": [None, topic]})
    notifications_send(
        recipients=_startup_people(enrolment),
        actor=actor,
        topic=Topic.ADVISORY,
        title=lambda: _("Notes of the advisory session: %(topic)s") % {"topic": session.topic},
        body=session.next_steps,
        url=_url(enrolment),
        key=f"advisory-session:{session.pk}",
    )
    return session


@transaction.atomic
def milestone_remind(*, milestone_id: int) -> int:
    """One reminder per advisory milestone, to the startup and its advisor (safe to run twice)."""
    milestone = (
        AdvisoryMilestone.objects.select_related("enrolment__startup", "enrolment__advisor")
        .filter(pk=milestone_id, done_on__isnull=True, enrolment__status=EnrolmentStatus.ACTIVE)
        .first()
    )
    if milestone is None:
        return 0
    enrolment = milestone.enrolment
    return notifications_send(
        recipients=[*_startup_people(enrolment), enrolment.advisor],
        topic=Topic.ADVISORY,
        title=lambda: (
            _("Milestone due on %(date)s: %(title)s") % {"date": milestone.due_on.isoformat(), "title": milestone.title}
        ),
        url=_url(enrolment),
        key=f"advisory-milestone:{milestone.pk}",
    )
