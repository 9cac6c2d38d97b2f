"""Every write to a need. The life cycle is a table of transitions; only these services change the state."""

import datetime
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.core import privacy
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.storage import download_name
from lotsenhaus.core.validation import (
    assign,
    checked_upload_type,
    clean_or_refuse,
    refuse_unknown,
    require_permission,
    versioned_edit,
)
from lotsenhaus.matching.tasks import notify_matching_need
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.models import Organisation
from lotsenhaus.organisations.selectors import organisation_members, people_of, unit_staff
from lotsenhaus.startups.selectors import answering_profile

from . import audit_actions
from .models import (
    Answer,
    AnswerAttachment,
    AnswerStatus,
    Call,
    CallStatus,
    Need,
    Outcome,
    PipelineView,
    ReviewComment,
    Status,
    Transition,
)

EDITABLE_FIELDS = [
    "title", "problem", "affected_groups", "affected_count", "current_practice", "desired_outcome",
    "success_measure", "data_involved", "protection_class", "hosting", "accessibility", "interfaces",
    "budget_min", "budget_max", "desired_start", "policy_field", "technologies", "answer_deadline",
    "contact_name", "contact_email", "hide_organisation", "internal_notes",
]  # fmt: skip
REQUIRED_TO_SUBMIT = ["title", "problem", "desired_outcome", "protection_class", "contact_name", "contact_email"]


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    permission: str
    # Steps of the venture-client pipeline are taken where their preconditions are checked (the market
    # exploration, the evaluation, the pilot), never by the bare state change.
    managed_by: str = ""


# The life cycle as data: action -> allowed source states, target state, permission.
LIFE_CYCLE: dict[str, Step] = {
    "submit": Step((Status.DRAFT,), Status.IN_REVIEW, "needs.submit_need"),
    "return": Step((Status.IN_REVIEW,), Status.DRAFT, "needs.review_need"),
    "publish": Step((Status.IN_REVIEW,), Status.PUBLISHED, "needs.review_need"),
    "start_exploration": Step((Status.PUBLISHED,), Status.EXPLORATION, "needs.manage_need", "exploration"),
    "start_evaluation": Step((Status.EXPLORATION,), Status.EVALUATION, "needs.manage_need", "evaluation"),
    "start_pilot": Step((Status.EVALUATION,), Status.PILOT, "needs.manage_need", "pilot"),
    "close": Step((Status.PILOT,), Status.CLOSED, "needs.manage_need", "pilot"),
    "withdraw": Step(
        (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED, Status.EXPLORATION, Status.EVALUATION, Status.PILOT),
        Status.WITHDRAWN,
        "needs.withdraw_need",
    ),
}


def available_actions(user: Actor, need: Need) -> list[str]:
    return [
        action
        for action, step in LIFE_CYCLE.items()
        if not step.managed_by and need.status in step.sources and user.has_perm(step.permission, need)
    ]


def _validate(need: Need) -> None:
    low, high = need.budget_min, need.budget_max
    if low is not None and high is not None and low > high:
        raise ApplicationError(
            _("The lower budget must not be above the upper budget."), field="budget_max", code="invalid_value"
        )
    clean_or_refuse(need, exclude=["organisation", "owner"])


@transaction.atomic
def need_create(*, actor: User, organisation: Organisation, title: str, **fields: Any) -> Need:
    """A new need starts as a draft of one of the actor's own public bodies."""
    require_permission(actor, "needs.add_need")
    if not organisation.is_public_body:
        raise ApplicationError(
            _("Needs can only be posted for a public body."), field="organisation", code="not_allowed"
        )
    if not actor.has_perm("organisations.view_organisation", organisation):
        raise ApplicationError(
            _("You can only post needs for your own organisation."), field="organisation", code="not_allowed"
        )
    refuse_unknown(fields, EDITABLE_FIELDS)
    need = Need(organisation=organisation, owner=actor, title=title.strip(), **fields)
    need.contact_name = need.contact_name or getattr(actor, "name", "")
    need.contact_email = need.contact_email or actor.email
    _validate(need)
    need.save()
    audit(
        actor=actor,
        action=audit_actions.NEED_CREATE,
        obj=need,
        changes=diff({}, snapshot(need, ["title"])),
    )
    return need


@transaction.atomic
def need_update(*, actor: User, need: Need, version: int, **fields: Any) -> Need:
    """Save changes unless someone else saved in between (optimistic locking on ``version``)."""
    require_permission(actor, "needs.change_need", need)
    deadline = fields.get("answer_deadline")
    if deadline is not None and deadline <= timezone.localdate():
        raise ApplicationError(
            _("The answer deadline must lie in the future."), field="answer_deadline", code="invalid_date"
        )
    edit = versioned_edit(
        Need.objects.all(),
        need.pk,
        version,
        fields,
        EDITABLE_FIELDS,
        _(
            "Someone else has saved this need in the meantime. Your changes were not saved. "
            "Please reload the page to see the current version."
        ),
    )
    _validate(edit.obj)
    edit.save(actor=actor, action=audit_actions.NEED_UPDATE)
    return edit.obj


def missing_for_submission(need: Need) -> list[str]:
    labels = {field.name: str(field.verbose_name) for field in Need._meta.fields}
    return [labels[name] for name in REQUIRED_TO_SUBMIT if not getattr(need, name)]


@transaction.atomic
def need_transition(
    *,
    actor: User,
    need: Need,
    action: str,
    comment: str = "",
    answer_deadline: date | None = None,
) -> Need:
    """Move a need on by one of the steps that are the need's own (submit, return, publish, withdraw). The steps of
    the venture-client pipeline are taken by the market exploration, the evaluation and the pilot, which check
    their own preconditions first (``needs.stages.need_stage_advance``)."""
    step = LIFE_CYCLE.get(action)
    if step is None:
        raise ApplicationError(_("Unknown action."), code="unknown_action")
    if step.managed_by:
        raise ApplicationError(str(MANAGED_REFUSAL[step.managed_by]), code="wrong_state")
    return transition_apply(actor=actor, need=need, action=action, comment=comment,
                            answer_deadline=answer_deadline)  # fmt: skip


def transition_apply(
    *,
    actor: User,
    need: Need,
    action: str,
    comment: str = "",
    answer_deadline: date | None = None,
    outcome: str = "",
) -> Need:
    """The state change itself, for ``need_transition`` and ``needs.stages`` only (inside their
    transactions)."""
    step = LIFE_CYCLE[action]
    current = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
    if current.status not in step.sources:
        raise ApplicationError(
            _("A need in the state “%(status)s” cannot be moved on with “%(action)s”.")
            % {"status": current.get_status_display(), "action": ACTION_LABELS.get(action, action)},
            code="wrong_state",
        )
    require_permission(actor, step.permission, current)
    changes: dict[str, list[Any]] = {"status": [current.status, step.target]}
    now = timezone.now()
    if action == "submit":
        if missing := missing_for_submission(current):
            raise ApplicationError(
                _("Please fill in before submitting: %(fields)s") % {"fields": ", ".join(missing)}, code="precondition"
            )
        current.submitted_at = now
    elif action == "return":
        if not comment.strip():
            raise ApplicationError(_("Please tell the owner what to change."), field="comment", code="required")
        ReviewComment.objects.create(need=current, author=actor, text=comment.strip())
        changes["comment"] = [None, comment.strip()]
    elif action == "publish":
        deadline = answer_deadline or current.answer_deadline
        if deadline is None:
            # Issue 17, D27: an empty deadline said "must lie in the future".
            raise ApplicationError(
                _("Please set the answer deadline before publishing."), field="answer_deadline", code="required"
            )
        if deadline <= timezone.localdate():
            raise ApplicationError(
                _("The answer deadline must lie in the future."), field="answer_deadline", code="invalid_date"
            )
        changes["answer_deadline"] = [current.answer_deadline, deadline]
        current.answer_deadline = deadline
        current.published_at = now
    elif action == "close":
        if outcome not in Outcome.values:
            raise ApplicationError(_("Please say whether the solution was adopted."), field="outcome", code="required")
        current.outcome = outcome
        current.closed_at = now
        changes["outcome"] = [None, outcome]
    if action == "withdraw":
        current.closed_at = now
    previous = current.status
    current.status = step.target
    current.version += 1
    current.save()
    record = Transition.objects.create(
        need=current, action=action, from_status=previous, to_status=step.target, actor=actor
    )
    audit(actor=actor, action=audit_actions.NEED_STEPS[action], obj=current, changes=changes)
    from .tasks import notify_transition

    transaction.on_commit(lambda: notify_transition.enqueue(transition_id=record.pk))
    return current


@transaction.atomic
def need_assign(*, actor: User, need: Need, coordinator: Any | None) -> Need:
    """Give a need its coordinator in the unit (or take it away); the new coordinator is told."""
    require_permission(actor, "needs.manage_need", need)
    if coordinator is not None and not unit_staff().filter(pk=coordinator.pk).exists():
        raise ApplicationError(
            _("Only members of the unit can coordinate a need."), field="coordinator", code="not_allowed"
        )
    current = Need.objects.select_for_update().get(pk=need.pk)
    before = current.coordinator_id
    if before == (coordinator.pk if coordinator else None):
        return current
    current.coordinator = coordinator
    current.save(update_fields=["coordinator", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.NEED_ASSIGN,
        obj=current,
        changes={"coordinator": [before, current.coordinator_id]},
    )
    if coordinator is not None:
        title = current.title
        notifications_send(
            recipients=[coordinator],
            actor=actor,
            topic=Topic.NEED_STATUS,
            title=lambda: _("You now coordinate “%(title)s”") % {"title": title},
            body=lambda: _("The need appears under “Mine” in the pipeline overview."),
            url=reverse("needs:detail", args=[current.pk]),
            key=f"need-assign:{current.pk}:{coordinator.pk}:{current.updated_at.isoformat()}",
        )
    return current


def needs_bulk(
    *, actor: User, needs: list[Need], action: str, **arguments: Any
) -> tuple[list[Need], list[tuple[Need, str]]]:
    """One action on several needs, each in its own transaction: what can be done is done, and every refusal
    comes back with its reason instead of undoing the others."""
    done: list[Need] = []
    refused: list[tuple[Need, str]] = []
    for need in needs:
        try:
            with transaction.atomic():
                if action == "publish":
                    done.append(
                        need_transition(
                            actor=actor,
                            need=need,
                            action="publish",
                            answer_deadline=arguments.get("answer_deadline"),
                        )
                    )
                elif action == "assign":
                    done.append(need_assign(actor=actor, need=need, coordinator=arguments["coordinator"]))
                else:
                    raise ApplicationError(_("Unknown action."), code="unknown_action")
        except ApplicationError as error:
            refused.append((need, error.message))
        except PermissionDenied:
            refused.append((need, _("You may not do this.")))
    return done, refused


@transaction.atomic
def pipeline_view_save(*, actor: User, name: str, query: str) -> PipelineView:
    """Keep the present filters of the pipeline overview under a name (the same name replaces them)."""
    require_permission(actor, "needs.view_all_needs")
    name = name.strip()
    if not name:
        raise ApplicationError(_("Please give the view a name."), field="name", code="required")
    view, _created = PipelineView.objects.update_or_create(owner=actor, name=name, defaults={"query": query[:500]})
    return view


@transaction.atomic
def pipeline_view_delete(*, actor: User, view: PipelineView) -> None:
    if view.owner_id != actor.pk:
        raise PermissionDenied
    view.delete()


MANAGED_REFUSAL = {
    "exploration": gettext_lazy("The market exploration is started on its own page, where the long list begins."),
    "evaluation": gettext_lazy("The evaluation starts from the market exploration, once the short list is set."),
    "pilot": gettext_lazy(
        "Pilots are started and decided on the pilot page, where the checklists and the decision are recorded."
    ),
}

# Lazy: the labels are shown in the reader's language, not in the one the module was imported in.
ACTION_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "return": gettext_lazy("Send back to the owner"),
    "publish": gettext_lazy("Publish"),
    "start_exploration": gettext_lazy("Start market exploration"),
    "start_evaluation": gettext_lazy("Start evaluation"),
    "start_pilot": gettext_lazy("Start pilot"),
    "close": gettext_lazy("Close"),
    "withdraw": gettext_lazy("Withdraw"),
}


@transaction.atomic
def transition_notify(*, transition_id: int) -> int:
    """E-mail the owner's organisation (and the unit, for submissions) once per change of state."""
    record = (
        Transition.objects.select_for_update().select_related("need__organisation").filter(pk=transition_id).first()
    )
    if record is None or record.notified_at is not None:
        return 0
    need = record.need
    recipients = {m.user for m in organisation_members(organisation=need.organisation)}
    if record.to_status == Status.IN_REVIEW:
        recipients |= set(unit_staff())
    # A need sent back for revision carries the reviewer's words, not only its new state (issue 17, D7).
    comment = ""
    if record.action == "return":
        latest = need.review_comments.filter(created_at__lte=record.at).order_by("-created_at", "-id").first()
        comment = latest.text if latest else ""
    sent = notifications_send(
        recipients=recipients,
        actor=record.actor,
        topic=Topic.NEED_STATUS,
        title=lambda: (
            _("“%(title)s” is now: %(status)s") % {"title": need.title, "status": record.get_to_status_display()}
        ),
        body=(lambda: _("Please revise the need. The unit writes: %(comment)s") % {"comment": comment})
        if comment
        else "",
        url=reverse("needs:detail", args=[need.pk]),
        key=f"need-transition:{record.pk}",
    )
    if record.to_status == Status.PUBLISHED:
        title = need.title
        transaction.on_commit(lambda: notify_matching_need.enqueue(need_id=need.pk, title=title))
    record.notified_at = timezone.now()
    record.save(update_fields=["notified_at"])
    return sent


# --- Answers (Interessenbekundungen) -------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ANSWER_FIELDS = ["solution", "approach", "references", "cost_estimate", "duration_weeks"]


PDF_SIGNATURE = {"application/pdf": lambda head: head.startswith(b"%PDF-")}


@transaction.atomic
def answer_save(
    *, actor: User, need: Need, version: int | None = None, attachment: Any = None, **fields: Any
) -> Answer:
    """Create the startup's answer, or change it while the need is open; attachments are PDFs."""
    refuse_unknown(fields, ANSWER_FIELDS)
    profile = answering_profile(user=actor)
    if profile is None or not actor.has_perm("needs.answer_need", need):
        raise ApplicationError(
            _("Answers are possible only for verified startups, while the need is published and before its deadline."),
            code="wrong_state",
        )
    solution = fields.get("solution")
    if solution is not None and solution.profile_id != profile.pk:
        raise ApplicationError(_("Please choose one of your own solutions."), field="solution", code="not_allowed")
    answer = Answer.objects.select_for_update().filter(need=need, startup=profile).first()
    created = answer is None
    if answer is None:
        answer = Answer(need=need, startup=profile, submitted_by=actor)
    elif answer.version != version:
        raise ApplicationError(_("Your answer was changed in the meantime. Please reload the page."), code="conflict")
    before = {} if created else snapshot(answer, ANSWER_FIELDS)
    assign(answer, fields)
    answer.status = AnswerStatus.SUBMITTED
    answer.version = 1 if created else answer.version + 1
    clean_or_refuse(answer, exclude=["need", "startup", "submitted_by"])
    answer.save()
    changes = diff(before, snapshot(answer, ANSWER_FIELDS))
    if attachment is not None:
        checked_upload_type(
            attachment,
            max_bytes=MAX_ATTACHMENT_BYTES,
            signatures=PDF_SIGNATURE,
            too_big=_("The file is larger than 10 MB."),
            wrong_type=_("Only PDF files can be attached."),
            field="attachment",
        )
        original = download_name(attachment.name, "pdf")[:200]
        attachment.name = f"{uuid.uuid4().hex}.pdf"
        AnswerAttachment.objects.create(
            answer=answer, file=attachment, original_name=original, size=attachment.size, uploaded_by=actor
        )
        changes["attachment"] = [None, original]
    audit(
        actor=actor,
        action=audit_actions.ANSWER_CREATE if created else audit_actions.ANSWER_UPDATE,
        obj=answer,
        changes=changes,
    )
    if created:
        notifications_send(
            recipients={m.user for m in organisation_members(organisation=need.organisation)} | set(unit_staff()),
            actor=actor,
            topic=Topic.ANSWER,
            title=lambda: (
                _("New answer to “%(title)s” from %(startup)s")
                % {"title": need.title, "startup": profile.organisation.name}
            ),
            url=reverse("needs:detail", args=[need.pk]),
            key=f"answer:{answer.pk}",
        )
        # A receipt for the startup's own people, the sender included (issue 17, notifications).
        notifications_send(
            recipients=people_of(organisation_ids=[profile.organisation_id]),
            topic=Topic.ANSWER,
            title=lambda: _("Your answer to “%(title)s” has been received") % {"title": need.title},
            body=lambda: (
                _("You can change or withdraw it until %(date)s.")
                % {"date": need.answer_deadline.isoformat() if need.answer_deadline else "–"}
            ),
            url=reverse("needs:answer", args=[need.pk]),
            key=f"answer-receipt:{answer.pk}",
        )
    return answer


@transaction.atomic
def answer_withdraw(*, actor: User, answer: Answer) -> Answer:
    if not actor.has_perm("needs.change_answer", answer):
        raise ApplicationError(_("This answer can no longer be changed."), code="wrong_state")
    answer.status = AnswerStatus.WITHDRAWN
    answer.version += 1
    answer.save(update_fields=["status", "version", "updated_at"])
    audit(actor=actor, action=audit_actions.ANSWER_WITHDRAW, obj=answer, changes={"status": ["submitted", "withdrawn"]})
    return answer


@transaction.atomic
def attachment_remove(*, actor: User, attachment: AnswerAttachment) -> None:
    if not actor.has_perm("needs.change_answer", attachment.answer):
        raise ApplicationError(_("This answer can no longer be changed."), code="wrong_state")
    audit(
        actor=actor,
        action=audit_actions.ANSWER_ATTACHMENT_REMOVE,
        obj=attachment.answer,
        changes={"attachment": [attachment.original_name, None]},
    )
    name = str(attachment.file.name)
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Bundled calls ("RFP bus") -----------------------------------------------------------------

CALLABLE_STATUSES = (Status.IN_REVIEW, Status.PUBLISHED)


@transaction.atomic
def call_create(*, actor: User, title: str, theme: str, deadline: date) -> Call:
    require_permission(actor, "needs.manage_calls")
    if deadline <= timezone.localdate():
        raise ApplicationError(_("The answer deadline must lie in the future."), field="deadline", code="invalid_date")
    call = Call(title=title.strip(), theme=theme.strip(), deadline=deadline, created_by=actor)
    clean_or_refuse(call, exclude=["created_by"])
    call.save()
    audit(
        actor=actor,
        action=audit_actions.CALL_CREATE,
        obj=call,
        changes={"title": [None, call.title], "deadline": [None, deadline]},
    )
    return call


@transaction.atomic
def call_add_need(*, actor: User, call: Call, need: Need) -> Need:
    """A need joins a call while it is under review or published and belongs to no other call."""
    require_permission(actor, "needs.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    current = Need.objects.select_for_update().get(pk=need.pk)
    if current.call_id is not None and current.call_id != call.pk:
        raise ApplicationError(_("This need already belongs to another call."), field="need", code="wrong_state")
    if current.status not in CALLABLE_STATUSES:
        raise ApplicationError(
            _("Only needs under review or published can join a call."), field="need", code="wrong_state"
        )
    Need.objects.filter(pk=current.pk).update(call=call)
    audit(actor=actor, action=audit_actions.CALL_ADD_NEED, obj=call, changes={"need": [None, current.pk]})
    if call.status == CallStatus.PUBLISHED:
        _publish_in_call(actor, call, current)
    current.call = call
    return current


@transaction.atomic
def call_remove_need(*, actor: User, call: Call, need: Need) -> None:
    require_permission(actor, "needs.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.PUBLISHED:
        raise ApplicationError(_("Needs stay in a published call."), code="wrong_state")
    Need.objects.filter(pk=need.pk, call=call).update(call=None)
    audit(actor=actor, action=audit_actions.CALL_REMOVE_NEED, obj=call, changes={"need": [need.pk, None]})


def _publish_in_call(actor: User, call: Call, need: Need) -> None:
    if need.status == Status.IN_REVIEW:
        need_transition(actor=actor, need=need, action="publish", answer_deadline=call.deadline)
    elif need.answer_deadline != call.deadline:
        before = need.answer_deadline
        Need.objects.filter(pk=need.pk).update(answer_deadline=call.deadline, version=need.version + 1)
        audit(
            actor=actor,
            action=audit_actions.NEED_UPDATE,
            obj=need,
            changes={"answer_deadline": [before, call.deadline]},
        )


@transaction.atomic
def call_publish(*, actor: User, call: Call) -> Call:
    """Publish every need of the call at once, all with the call's deadline."""
    require_permission(actor, "needs.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.PUBLISHED:
        raise ApplicationError(_("This call is already published."), code="wrong_state")
    if call.deadline <= timezone.localdate():
        raise ApplicationError(_("The answer deadline must lie in the future."), field="deadline", code="invalid_date")
    needs = list(Need.objects.select_for_update().filter(call=call))
    if not needs:
        raise ApplicationError(_("Please add at least one need to the call."), code="precondition")
    if stray := [n.title for n in needs if n.status not in CALLABLE_STATUSES]:
        raise ApplicationError(
            _("These needs can no longer be published with the call: %(titles)s") % {"titles": ", ".join(stray)},
            code="wrong_state",
        )
    for need in needs:
        _publish_in_call(actor, call, need)
    call.status = CallStatus.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["status", "published_at", "updated_at"])
    audit(actor=actor, action=audit_actions.CALL_PUBLISH, obj=call, changes={"needs": [n.pk for n in needs]})
    return call


@transaction.atomic
def answers_expire(*, now: datetime.datetime) -> int:
    """Delete answers (and their files) of needs closed or withdrawn longer ago than the retention period.

    ``LOTSENHAUS_RETENTION_ANSWER_DAYS`` counts from the need's closing; 0 keeps answers for ever. The
    documents already filed in the procurement file are not touched. Safe to run any number of times.
    """
    days = settings.LOTSENHAUS_RETENTION_ANSWER_DAYS
    if not days:
        return 0
    expired = Answer.objects.filter(
        need__status__in=[Status.CLOSED, Status.WITHDRAWN],
        need__closed_at__lt=now - datetime.timedelta(days=days),
    )
    counts = expired.values(object=F("need")).annotate(n=Count("id")).order_by("object")
    privacy.audit_removed(
        counts=counts, action=audit_actions.ANSWER_EXPIRED, object_type=Need._meta.label_lower, days=days
    )
    files = [
        (a.file.storage, str(a.file.name)) for a in AnswerAttachment.objects.filter(answer__in=expired).only("file")
    ]
    removed = int(expired.delete()[1].get(Answer._meta.label, 0))

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return removed
