"""Every write to the AI register: use cases, assessments, approval and publication."""

import datetime
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core import throttle
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.mail import send_to_one
from lotsenhaus.core.validation import clean_or_refuse, refuse_unknown, require_permission, versioned_edit
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.models import MembershipRole, Organisation
from lotsenhaus.organisations.selectors import is_member_of, organisation_members, people_of

from . import assessment as engine
from . import audit_actions
from .models import IN_USE, Assessment, DutyCheck, Publication, PublishedVersion, ReaderMessage, UseCase
from .selectors import latest_assessment

FIELDS = [
    "name", "short_description", "long_description", "purpose", "process", "ai_type", "affected_persons",
    "impactful", "data_sources", "personal_data", "human_oversight", "risks", "legal_basis", "dpia_done",
    "objection_route", "provider", "contact_email", "start_date", "end_date", "status", "need", "solution",
]  # fmt: skip
# What the UK ATRS asks for beyond the fields above (standards.ATRS_FIELDS maps them); public like the rest.
ATRS_FIELDS = [
    "team", "responsible_owner", "scope", "provided_information", "usage_scale", "required_training",
    "system_architecture", "maintenance", "model_name", "model_version", "model_task", "model_input", "model_output",
    "model_architecture", "model_performance", "model_datasets", "data_modality", "data_quantities",
    "data_completeness", "data_access_url", "data_collection", "data_sharing", "data_storage", "impact_assessment",
]  # fmt: skip
FIELDS += ATRS_FIELDS
# The fields the public sees, in this order; the export schema (docs/ai-register.md) documents them.
PUBLIC_FIELDS = [f for f in FIELDS if f not in ("contact_email", "need", "solution")] + [
    "contact_email",
    "source_note",
]


# Regulation (EU) 2024/1689 entered into force on 1 August 2024 (Art. 113): no assessment under it is older.
AI_ACT_IN_FORCE = datetime.date(2024, 8, 1)


def _next_public_id() -> str:
    year = timezone.localdate().year
    count = UseCase.objects.filter(public_id__startswith=f"KI-{year}-").count()
    return f"KI-{year}-{count + 1:04d}"


@transaction.atomic
def use_case_create(*, actor: User, organisation: Organisation, **fields: Any) -> UseCase:
    require_permission(actor, "airegister.add_usecase")
    if not organisation.is_public_body or not actor.has_perm("organisations.view_organisation", organisation):
        raise ApplicationError(
            _("Use cases belong to a public body you are a member of."), field="organisation", code="not_allowed"
        )
    refuse_unknown(fields, [*FIELDS, "source_note"])
    use_case = UseCase(
        organisation=organisation, created_by=actor, last_edited_by=actor, public_id=_next_public_id(), **fields
    )
    clean_or_refuse(use_case, exclude=["organisation", "created_by", "need", "solution"])
    use_case.save()
    audit(
        actor=actor,
        action=audit_actions.USECASE_CREATE,
        obj=use_case,
        changes=diff({}, snapshot(use_case, ["name", "status"])),
    )
    return use_case


@transaction.atomic
def use_case_update(*, actor: User, use_case: UseCase, version: int, **fields: Any) -> UseCase:
    require_permission(actor, "airegister.change_usecase", use_case)
    edit = versioned_edit(
        UseCase.objects.all(),
        use_case.pk,
        version,
        fields,
        FIELDS,
        _("Someone else has saved this use case in the meantime. Please reload the page."),
    )
    current = edit.obj
    if current.end_date and current.start_date and current.end_date < current.start_date:
        raise ApplicationError(_("The end must not be before the start."), field="end_date", code="invalid_date")
    current.last_edited_by = actor
    # A use case that changes after it was submitted, approved or published goes back through approval.
    current.publication = Publication.DRAFT
    current.approved_by, current.approved_for_authority, current.approval_note = None, False, ""
    edit.save(
        actor=actor,
        action=audit_actions.USECASE_UPDATE,
        exclude=["organisation", "created_by", "need", "solution"],
        audit_unchanged=True,
    )
    return current


@transaction.atomic
def assessment_create(
    *,
    actor: User,
    use_case: UseCase,
    answers: dict[str, bool],
    justifications: dict[str, str],
    on: datetime.date | None = None,
) -> Assessment:
    """Run the questionnaire; every answer needs a justification, so that the result can be defended."""
    require_permission(actor, "airegister.change_usecase", use_case)
    missing = [key for key, value in answers.items() if value and not (justifications.get(key) or "").strip()]
    if missing:
        raise ApplicationError(_("Please justify every “yes”."), field="justifications", code="required")
    today = timezone.localdate()
    on = on or today
    if not AI_ACT_IN_FORCE <= on <= today:
        # The record is published with this date: it is the day the assessment was made, not a guess.
        raise ApplicationError(
            _("The assessment date must lie between %(first)s and today.")
            % {"first": formats.date_format(AI_ACT_IN_FORCE, "SHORT_DATE_FORMAT")},
            field="on",
            code="invalid_date",
        )
    try:
        result = engine.assess(answers, on)
    except ValueError as exc:
        raise ApplicationError(str(exc), code="invalid_value") from exc
    record = Assessment.objects.create(
        use_case=use_case,
        rules_version=result.rules_version,
        answers=answers,
        justifications={k: v.strip() for k, v in justifications.items() if v and v.strip()},
        assessed_on=on,
        risk_class=result.risk_class,
        result=result.as_record(),
        created_by=actor,
    )
    # Four eyes: the assessor is an editor, and a submitted or approved record goes back to approve the new result.
    back_to_draft = use_case.publication in (Publication.SUBMITTED, Publication.APPROVED)
    UseCase.objects.filter(pk=use_case.pk).update(
        last_edited_by=actor,
        **(
            {
                "publication": Publication.DRAFT,
                "approved_by": None,
                "approved_for_authority": False,
                "approval_note": "",
            }
            if back_to_draft
            else {}
        ),
    )
    audit(
        actor=actor,
        action=audit_actions.USECASE_ASSESS,
        obj=use_case,
        changes={"risk_class": [None, result.risk_class]},
    )
    return record


@transaction.atomic
def use_case_invite_expert(*, actor: User, use_case: UseCase, expert: Any) -> None:
    """The unit asks an expert to assess a use case; from then on the expert reads it and may sign off."""
    require_permission(actor, "knowledge.invite_expert")
    if not expert.has_perm("airegister.be_invited"):
        raise ApplicationError(_("Only members of an expert network can assess AI use cases."), code="not_allowed")
    if not use_case.invited_experts.filter(pk=expert.pk).exists():
        use_case.invited_experts.add(expert)
        audit(
            actor=actor, action=audit_actions.USECASE_INVITE_EXPERT, obj=use_case, changes={"expert": [None, expert.pk]}
        )


@transaction.atomic
def assessment_sign_off(*, actor: User, record: Assessment, agrees: bool = True, view: str = "") -> Assessment:
    """The invited expert records her view beside the result (issue 17, D4): agreeing or not, always with a
    reason; the authority's editors hear of it and may assess again."""
    require_permission(actor, "airegister.sign_off_assessment", record.use_case)
    if not view.strip():
        raise ApplicationError(_("Please write your view of the assessment."), field="view", code="required")
    record.signed_off_by = actor
    record.signed_off_at = timezone.now()
    record.expert_agrees = agrees
    record.expert_view = view.strip()
    record.save(update_fields=["signed_off_by", "signed_off_at", "expert_agrees", "expert_view"])
    audit(
        actor=actor,
        action=audit_actions.USECASE_ASSESSMENT_SIGN_OFF,
        obj=record.use_case,
        changes={"expert_agrees": [None, agrees]},
    )
    use_case = record.use_case
    editors = {*people_of(organisation_ids=[use_case.organisation_id])}
    if use_case.last_edited_by is not None:
        editors.add(use_case.last_edited_by)
    notifications_send(
        recipients=editors,
        actor=actor,
        topic=Topic.EVALUATION,
        title=lambda: (
            (
                _("The expert agrees with the AI Act assessment of “%(name)s”")
                if agrees
                else _("The expert disagrees with the AI Act assessment of “%(name)s”")
            )
            % {"name": use_case.name}
        ),
        body=lambda: record.expert_view,
        url=reverse("airegister:detail", args=[use_case.pk]),
        key=f"assessment-view:{record.pk}",
    )
    return record


STEPS = {
    "submit": ((Publication.DRAFT,), Publication.SUBMITTED, "airegister.change_usecase"),
    "approve": ((Publication.SUBMITTED,), Publication.APPROVED, "airegister.approve_usecase"),
    "return": ((Publication.SUBMITTED, Publication.APPROVED), Publication.DRAFT, "airegister.approve_usecase"),
    "publish": ((Publication.APPROVED,), Publication.PUBLISHED, "airegister.publish_usecase"),
}


@transaction.atomic
def use_case_transition(*, actor: User, use_case: UseCase, action: str, note: str = "") -> UseCase:
    """Editor submits, an admin of the authority approves, another person of the unit publishes (and so creates a
    version). If the unit approves instead of the authority, it says why, and the record says on whose behalf."""
    if action not in STEPS:
        raise ApplicationError(_("Unknown action."), code="unknown_action")
    sources, target, permission = STEPS[action]
    current = UseCase.objects.select_for_update().get(pk=use_case.pk)
    require_permission(actor, permission, current)
    if current.publication not in sources:
        raise ApplicationError(_("This step is not possible in the current state."), code="wrong_state")
    if action in ("submit", "publish"):
        record = latest_assessment(current)
        if record is None:
            raise ApplicationError(_("Please complete the AI Act assessment first."), code="precondition")
        if record.risk_class == engine.PROHIBITED and current.status in IN_USE:
            raise ApplicationError(_("A prohibited AI practice cannot be published as in use."), code="not_allowed")
        if not current.contact_email:
            # Both anchors require a contact (NL Algoritmeregister 1.0 and UK ATRS), and readers are answered
            # from it (issue 18).
            raise ApplicationError(
                _("Please give a contact e-mail address for readers; registers require one before publication."),
                field="contact_email",
                code="required",
            )
    before = current.publication
    current.publication = target
    if action == "submit":
        current.submitted_by = actor
    if action == "approve":
        of_authority = is_member_of(actor, current.organisation_id)
        if not of_authority and not note.strip():
            raise ApplicationError(
                _("Please say why the unit approves on behalf of the authority."), field="note", code="required"
            )
        current.approved_by, current.approved_for_authority = actor, of_authority
        current.approval_note = "" if of_authority else note.strip()
    if action == "return":
        current.approved_by, current.approved_for_authority, current.approval_note = None, False, ""
    current.save(
        update_fields=[
            "publication", "submitted_by", "approved_by", "approved_for_authority", "approval_note", "updated_at",
        ]
    )  # fmt: skip
    if action == "publish":
        number = current.published_versions.count() + 1
        PublishedVersion.objects.create(
            use_case=current, number=number, published_by=actor, data=public_record(current)
        )
    audit(
        actor=actor, action=audit_actions.USECASE_STEPS[action], obj=current, changes={"publication": [before, target]}
    )
    _tell_next(current, actor, action)
    return current


def _tell_next(use_case: UseCase, actor: User, action: str) -> None:
    """Who waits for the next step hears of it: the authority's approvers when a record is submitted, its
    editors when it is returned or published (issue 17, notifications)."""
    name = use_case.name
    if action == "submit":
        recipients = [
            m.user for m in organisation_members(organisation=use_case.organisation) if m.role == MembershipRole.ADMIN
        ]
        title = lambda: _("An AI use case awaits your approval: %(name)s") % {"name": name}  # noqa: E731
    elif action in ("return", "publish"):
        recipients = [u for u in (use_case.submitted_by, use_case.last_edited_by) if u is not None]
        title = (
            (lambda: _("The AI use case has been published in the register: %(name)s") % {"name": name})
            if action == "publish"
            else (lambda: _("The AI use case has been sent back to you: %(name)s") % {"name": name})
        )
    else:
        return
    notifications_send(
        recipients=recipients,
        actor=actor,
        topic=Topic.EVALUATION,
        title=title,
        url=reverse("airegister:detail", args=[use_case.pk]),
        key=f"usecase-{action}:{use_case.pk}:{timezone.now().isoformat()}",
    )


def public_record(use_case: UseCase) -> dict[str, Any]:
    """The public, exportable form of a use case (see the schema in docs/ai-register.md)."""
    record = latest_assessment(use_case)
    data: dict[str, Any] = {
        "id": use_case.public_id,
        "url": settings.LOTSENHAUS_BASE_URL + reverse("airegister:public_detail", args=[use_case.public_id]),
        "organisation": {
            "id": use_case.organisation.slug,
            "name": use_case.organisation.name,
            "parent_id": use_case.organisation.parent.slug if use_case.organisation.parent else None,
        },
    }
    for name in PUBLIC_FIELDS:
        value = getattr(use_case, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    data["need_url"] = (
        settings.LOTSENHAUS_BASE_URL + reverse("needs:detail", args=[use_case.need_id])
        if use_case.need_id and use_case.need and use_case.need.is_public
        else None
    )
    data["risk_class"] = record.risk_class if record else None
    data["rules_version"] = record.rules_version if record else None
    data["legal_status"] = record.result.get("legal_status") if record else None
    data["approved_by_authority"] = use_case.approved_for_authority if use_case.approved_by_id else None
    data["approval_note"] = use_case.approval_note
    data["assessed_on"] = record.assessed_on.isoformat() if record else None
    return data


# Anonymous reader posts: limits per sender address and per record, and at most this many links a message.
READER_LINKS_MAX = 2


@transaction.atomic
def reader_message_send(
    *, use_case: UseCase, kind: str, message: str, email: str = "", client_ip: str = ""
) -> ReaderMessage:
    """Anyone may report an error or ask a question on a published record.

    Posts are limited per sender address and per record (``LOTSENHAUS_READER_MESSAGE_RATE``) and may carry
    at most two links. The authority is notified once a day per record, without the message's text: the
    post is read in the platform, so that nobody can relay texts or links through the authority's mailbox.
    """
    if not use_case.published_versions.exists():
        raise ApplicationError(_("This record is not published."), code="wrong_state")
    if len(re.findall(r"https?://|www\.", message, flags=re.IGNORECASE)) > READER_LINKS_MAX:
        raise ApplicationError(
            _("Please include at most %(count)s links.") % {"count": READER_LINKS_MAX},
            field="message",
            code="invalid_value",
        )
    throttle.refuse_over("reader-message-ip", client_ip or "unknown", settings.LOTSENHAUS_READER_MESSAGE_RATE)
    throttle.refuse_over("reader-message-record", str(use_case.pk), settings.LOTSENHAUS_READER_MESSAGE_RECORD_RATE)
    language = "en" if (translation.get_language() or "").startswith("en") else "de"
    item = ReaderMessage(use_case=use_case, kind=kind, message=message.strip(), email=email.strip(), language=language)
    clean_or_refuse(item, exclude=["use_case", "answered_by"])
    item.save()
    audit(actor=None, action=audit_actions.USECASE_READER_MESSAGE, obj=use_case, changes={"kind": [None, kind]})
    from .tasks import notify_reader_message

    transaction.on_commit(lambda: notify_reader_message.enqueue(message_id=item.pk))
    return item


@transaction.atomic
def reader_message_notify(*, message_id: int) -> bool:
    """One notification per record and day, whatever the number of posts (a digest, not a relay)."""
    item = (
        ReaderMessage.objects.select_for_update().select_related("use_case__organisation").filter(pk=message_id).first()
    )
    if item is None or item.notified_at is not None:
        return False
    use_case = item.use_case
    notifications_send(
        recipients=[m.user for m in organisation_members(organisation=use_case.organisation)],
        topic=Topic.READER_MESSAGE,
        title=lambda: _("Readers wrote about %(id)s “%(name)s”") % {"id": use_case.public_id, "name": use_case.name},
        body=lambda: _("Please read and answer the messages in Lotsenhaus."),
        url=reverse("airegister:detail", args=[use_case.pk]),
        key=f"reader-messages:{use_case.pk}:{timezone.localdate().isoformat()}",
    )
    item.notified_at = timezone.now()
    item.save(update_fields=["notified_at"])
    return True


@transaction.atomic
def reader_message_answer(*, actor: User, item: ReaderMessage, answer: str) -> ReaderMessage:
    require_permission(actor, "airegister.change_usecase", item.use_case)
    if not answer.strip():
        raise ApplicationError(_("Please write an answer."), field="answer", code="required")
    item.answer, item.answered_at, item.answered_by = answer.strip(), timezone.now(), actor
    item.save(update_fields=["answer", "answered_at", "answered_by"])
    audit(actor=actor, action=audit_actions.USECASE_READER_ANSWER, obj=item.use_case)
    if item.email:
        transaction.on_commit(lambda: _send_reader_answer(item))
    return item


def _send_reader_answer(item: ReaderMessage) -> None:
    """The answer to a reader, in the reader's language, with their own message, the record and who answers
    (issue 17, D21: the e-mail held only the answer's text)."""
    use_case = item.use_case
    with translation.override(item.language):
        body = render_to_string(
            "airegister/email/reader_answer.txt",
            {
                "item": item,
                "use_case": use_case,
                "authority": use_case.organisation.name,
                "url": settings.LOTSENHAUS_BASE_URL + reverse("airegister:public_detail", args=[use_case.public_id]),
                "asked_on": formats.date_format(timezone.localtime(item.created_at), "SHORT_DATE_FORMAT"),
            },
        )
        subject = _("[Lotsenhaus] Answer about %(id)s “%(name)s”") % {"id": use_case.public_id, "name": use_case.name}
    send_to_one(to=item.email, subject=subject, body=body)


@transaction.atomic
def duty_check_save(*, actor: User, use_case: UseCase, duty: str, done: bool, evidence: str) -> DutyCheck:
    require_permission(actor, "airegister.change_usecase", use_case)
    record = latest_assessment(use_case)
    if record is None or duty not in {d["key"] for d in record.result.get("duties", [])}:
        raise ApplicationError(_("This duty does not apply to the use case."), code="invalid_value")
    if done and not evidence.strip():
        raise ApplicationError(
            _("Please say what was done and where it is documented."), field="evidence", code="required"
        )
    check, _created = DutyCheck.objects.update_or_create(
        use_case=use_case, duty=duty, defaults={"done": done, "evidence": evidence.strip(), "checked_by": actor}
    )
    audit(actor=actor, action=audit_actions.USECASE_DUTY_CHECK, obj=use_case, changes={duty: [None, done]})
    return check
