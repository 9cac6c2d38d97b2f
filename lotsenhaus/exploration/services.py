"""Every write to a market exploration; each is audited in its own transaction."""

import datetime
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core import privacy
from lotsenhaus.core.audit import audit
from lotsenhaus.core.documents import to_docx, to_pdf
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.mail import send_to_one
from lotsenhaus.core.models import StoredDocument
from lotsenhaus.core.services import document_store
from lotsenhaus.core.validation import clean_or_refuse, require_permission, versioned_edit
from lotsenhaus.matching.selectors import SearchFilters, solutions_for_need
from lotsenhaus.needs.models import AnswerStatus
from lotsenhaus.needs.selectors import need_answers
from lotsenhaus.needs.stages import need_stage_advance
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import people_of, unit_staff

from . import audit_actions, report
from .models import Candidate, CandidateStatus, Contact, Exploration, Question, SearchRun, Source
from .selectors import listed_startup_ids

EXPLORATION_FIELDS = ["method", "ended_at", "recommendation", "recommendation_reasons"]
CANDIDATE_FIELDS = ["status", "exclusion_reason", "note"]


def _manageable(actor: User, exploration: Exploration) -> None:
    require_permission(actor, "exploration.manage_exploration", exploration.need)


@transaction.atomic
def exploration_start(*, actor: User, need: Any, method: str = "") -> Exploration:
    """Open the workspace and move the need into market exploration; startups that answered join the long list."""
    require_permission(actor, "exploration.start_exploration", need)
    need = need_stage_advance(actor=actor, need=need, action="start_exploration", manager="exploration")
    exploration = Exploration.objects.create(need=need, started_at=timezone.localdate(), method=method.strip())
    audit(
        actor=actor,
        action=audit_actions.EXPLORATION_START,
        obj=exploration,
        changes={"started_at": [None, exploration.started_at]},
    )
    candidates_add_answers(actor=actor, exploration=exploration)
    return exploration


@transaction.atomic
def exploration_update(*, actor: User, exploration: Exploration, version: int, **fields: Any) -> Exploration:
    _manageable(actor, exploration)
    edit = versioned_edit(
        Exploration.objects.select_related("need"),
        exploration.pk,
        version,
        fields,
        EXPLORATION_FIELDS,
        _("Someone else has saved the market exploration in the meantime. Please reload the page."),
    )
    current = edit.obj
    if current.ended_at is not None and current.ended_at < current.started_at:
        raise ApplicationError(_("The end cannot lie before the start."), field="ended_at", code="invalid_date")
    edit.save(actor=actor, action=audit_actions.EXPLORATION_UPDATE, exclude=["need"])
    return current


def _add(actor: User, exploration: Exploration, startup: Any, solution: Any, source: str, note: str = "") -> Candidate:
    candidate = Candidate.objects.create(
        exploration=exploration, startup=startup, solution=solution, source=source, note=note, added_by=actor
    )
    audit(
        actor=actor,
        action=audit_actions.CANDIDATE_ADD,
        obj=candidate,
        changes={"need": [None, exploration.need_id], "source": [None, source]},
    )
    return candidate


@transaction.atomic
def candidates_add_answers(*, actor: User, exploration: Exploration) -> list[Candidate]:
    """Every startup that answered (and did not withdraw) joins the long list once."""
    _manageable(actor, exploration)
    listed = listed_startup_ids(exploration=exploration)
    added = []
    for answer in need_answers(user=actor, need=exploration.need).filter(status=AnswerStatus.SUBMITTED):
        if answer.startup_id not in listed:
            added.append(_add(actor, exploration, answer.startup, answer.solution, Source.ANSWER))
            listed.add(answer.startup_id)
    return added


@transaction.atomic
def candidates_add_suggestions(
    *,
    actor: User,
    exploration: Exploration,
    limit: int = 10,
    filters: SearchFilters | None = None,
    chosen: list[int] | None = None,
) -> SearchRun:
    """Take the search engine's best solutions for the need (``chosen``: only those solutions of the previewed
    ones the coordinator ticked); the run itself is documented for the report."""
    _manageable(actor, exploration)
    if not 1 <= limit <= 50:
        raise ApplicationError(_("Please take between 1 and 50 suggestions."), field="limit", code="invalid_value")
    outcome = solutions_for_need(user=actor, need=exploration.need, filters=filters, limit=limit)
    listed = listed_startup_ids(exploration=exploration)
    added = 0
    for result in outcome.results:
        solution = result.obj
        if solution.profile_id in listed or (chosen is not None and solution.pk not in chosen):
            continue
        _add(actor, exploration, solution.profile, solution, Source.MATCHING)
        listed.add(solution.profile_id)
        added += 1
    applied = {k: v for k, v in vars(filters).items() if v} if filters else {}
    run = SearchRun.objects.create(
        exploration=exploration,
        query=outcome.query,
        filters={**applied, "limit": limit, **({"chosen": len(chosen)} if chosen is not None else {})},
        found=outcome.total,
        added=added,
        actor=actor,
    )
    audit(
        actor=actor,
        action=audit_actions.EXPLORATION_SEARCH,
        obj=exploration,
        changes={"found": outcome.total, "added": added},
    )
    return run


@transaction.atomic
def candidate_add(
    *, actor: User, exploration: Exploration, startup: Any, solution: Any = None, note: str = ""
) -> Candidate:
    _manageable(actor, exploration)
    if startup.pk in listed_startup_ids(exploration=exploration):
        raise ApplicationError(_("This startup is already on the long list."), field="startup", code="duplicate")
    if solution is not None and solution.profile_id != startup.pk:
        raise ApplicationError(_("The solution belongs to another startup."), field="solution", code="not_allowed")
    return _add(actor, exploration, startup, solution, Source.MANUAL, note.strip())


# Apps above exploration say when a need's short list is fixed (evaluations: once jurors score). Exploration may
# not import them (docs/architecture.md), so they register a check in their AppConfig.ready.
_SHORTLIST_LOCKS: list[Callable[[int], bool]] = []


def register_shortlist_lock(check: Callable[[int], bool]) -> None:
    """``check(need_id)`` is true while the need's short list may no longer change."""
    _SHORTLIST_LOCKS.append(check)


def _shortlist_fixed(need_id: int) -> bool:
    return any(check(need_id) for check in _SHORTLIST_LOCKS)


@transaction.atomic
def candidate_update(*, actor: User, candidate: Candidate, version: int, **fields: Any) -> Candidate:
    """Change the status; an exclusion always needs its reason, because the procurement file must show it."""
    _manageable(actor, candidate.exploration)
    edit = versioned_edit(
        Candidate.objects.select_related("exploration__need", "startup__organisation"),
        candidate.pk,
        version,
        fields,
        CANDIDATE_FIELDS,
        _("Someone else has changed this entry in the meantime. Please reload the page."),
    )
    current, before = edit.obj, edit.before
    if current.status == CandidateStatus.EXCLUDED and not current.exclusion_reason:
        raise ApplicationError(
            _("Please give the reason for the exclusion."), field="exclusion_reason", code="required"
        )
    moves_shortlist = (before["status"] == CandidateStatus.SHORTLIST) != (current.status == CandidateStatus.SHORTLIST)
    if moves_shortlist and _shortlist_fixed(current.exploration.need_id):
        raise ApplicationError(
            _("The short list is fixed once the evaluation has opened for scoring."),
            field="status",
            code="wrong_state",
        )
    if current.status != CandidateStatus.EXCLUDED:
        current.exclusion_reason = ""
    changes = edit.save(
        actor=actor,
        action=audit_actions.CANDIDATE_UPDATE,
        exclude=["exploration", "startup", "added_by", "solution"],
    )
    if "status" in changes and current.status in (CandidateStatus.SHORTLIST, CandidateStatus.EXCLUDED):
        _tell_candidate(current, actor)
    return current


def candidates_bulk(
    *, actor: User, exploration: Exploration, candidate_ids: list[int], status: str, reason: str = ""
) -> tuple[int, list[tuple[Candidate, str]]]:
    """Put several entries of the long list on the short list, or exclude them with one reason: each in its own
    transaction, so one refusal (e.g. the short list is fixed) does not undo the others."""
    _manageable(actor, exploration)
    if status not in (CandidateStatus.SHORTLIST, CandidateStatus.EXCLUDED):
        raise ApplicationError(_("Unknown action."), code="unknown_action")
    done = 0
    refused: list[tuple[Candidate, str]] = []
    for entry in exploration.candidates.filter(pk__in=candidate_ids).select_related("startup__organisation"):
        if entry.status == status:
            continue
        try:
            with transaction.atomic():
                candidate_update(
                    actor=actor,
                    candidate=entry,
                    version=entry.version,
                    status=status,
                    exclusion_reason=reason.strip() if status == CandidateStatus.EXCLUDED else "",
                )
            done += 1
        except ApplicationError as error:
            refused.append((entry, error.message))
    return done, refused


@transaction.atomic
def candidates_message(
    *, actor: User, exploration: Exploration, candidate_ids: list[int], subject: str, text: str
) -> int:
    """Write to several startups of the long list: each gets the message on its own (in-app and by e-mail as its
    people chose), so none learns who else is in the procedure. The message is kept in the audit log."""
    _manageable(actor, exploration)
    if not subject.strip() or not text.strip():
        raise ApplicationError(_("Please write a subject and a message."), field="text", code="required")
    need = exploration.need
    chosen = list(
        exploration.candidates.filter(pk__in=candidate_ids)
        .exclude(status=CandidateStatus.EXCLUDED)
        .select_related("startup__organisation")
        .order_by("pk")
    )
    if not chosen:
        raise ApplicationError(
            _("Please choose at least one startup that is still in the procedure."), code="precondition"
        )
    stamp = timezone.now().isoformat()
    told = 0
    for candidate in chosen:
        told += bool(
            notifications_send(
                recipients=people_of(organisation_ids=[candidate.startup.organisation_id]),
                actor=actor,
                topic=Topic.EXPLORATION,
                title=f"{subject.strip()} – {need.title}",
                body=text.strip(),
                url=reverse("needs:detail", args=[need.pk]),
                key=f"candidate-message:{candidate.pk}:{stamp}",
            )
        )
    audit(
        actor=actor,
        action=audit_actions.EXPLORATION_MESSAGE,
        obj=exploration,
        changes={"candidates": [None, [c.pk for c in chosen]], "subject": [None, subject.strip()]},
    )
    return told


def _tell_candidate(candidate: Candidate, actor: User) -> None:
    """The startup learns whether it is on the short list or no longer in the procedure; only it, and without
    the internal reason, which stays in the procurement file (issue 17, notifications)."""
    need = candidate.exploration.need
    shortlisted = candidate.status == CandidateStatus.SHORTLIST
    notifications_send(
        recipients=people_of(organisation_ids=[candidate.startup.organisation_id]),
        actor=actor,
        topic=Topic.EXPLORATION,
        title=lambda: (
            (_("You are on the short list for “%(title)s”") if shortlisted else _("“%(title)s”: not taken further"))
            % {"title": need.title}
        ),
        body=lambda: (
            _("The evaluation follows; the unit will contact you.")
            if shortlisted
            else _("Thank you for your interest. Your startup is not taken further in this procedure.")
        ),
        url=reverse("needs:detail", args=[need.pk]),
        key=f"candidate-status:{candidate.pk}:{candidate.status}",
    )


@transaction.atomic
def contact_add(
    *, actor: User, candidate: Candidate, happened_on: date, channel: str, participants: str, summary: str
) -> Contact:
    """Log a contact; an open entry becomes "contacted" with it."""
    _manageable(actor, candidate.exploration)
    if happened_on > timezone.localdate():
        raise ApplicationError(_("A contact cannot lie in the future."), field="happened_on", code="invalid_date")
    contact = Contact(
        candidate=candidate,
        happened_on=happened_on,
        channel=channel,
        participants=participants.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    clean_or_refuse(contact, exclude=["candidate", "recorded_by"])
    contact.save()
    changes: dict[str, Any] = {"contact": [None, f"{happened_on.isoformat()} {channel}"]}
    # Decided on the row itself, so a caller's stale copy can neither skip the move nor set a wrong version.
    moved = Candidate.objects.filter(pk=candidate.pk, status=CandidateStatus.OPEN).update(
        status=CandidateStatus.CONTACTED, version=F("version") + 1
    )
    if moved:
        changes["status"] = [CandidateStatus.OPEN, CandidateStatus.CONTACTED]
    audit(actor=actor, action=audit_actions.CANDIDATE_CONTACT, obj=candidate, changes=changes)
    return contact


@transaction.atomic
def question_ask(*, actor: User, candidate: Candidate, text: str) -> Question:
    """A startup on the long list asks; the unit may also record a question it was asked by phone."""
    unit = actor.has_perm("exploration.manage_exploration", candidate.exploration.need)
    if not unit and not actor.has_perm("exploration.ask_question", candidate):
        raise ApplicationError(
            _("Only startups on the long list can ask questions about this need."), code="not_allowed"
        )
    if candidate.exploration.need.status not in ("exploration", "evaluation"):
        raise ApplicationError(_("Questions are possible only while the market is being explored."), code="wrong_state")
    if not text.strip():
        raise ApplicationError(_("Please write your question."), field="text", code="required")
    question = Question.objects.create(
        exploration=candidate.exploration, candidate=candidate, text=text.strip()[:3000], asked_by=actor
    )
    audit(actor=actor, action=audit_actions.QUESTION_ASK, obj=question, changes={"candidate": [None, candidate.pk]})
    if not unit:
        need = candidate.exploration.need
        notifications_send(
            recipients=unit_staff(),
            actor=actor,
            topic=Topic.EXPLORATION,
            title=lambda: _("A candidate asks about “%(title)s”") % {"title": need.title},
            url=reverse("exploration:workspace", args=[need.pk]),
            key=f"question:{question.pk}",
        )
    return question


@transaction.atomic
def question_answer(*, actor: User, question: Question, answer: str) -> Question:
    _manageable(actor, question.exploration)
    if not answer.strip():
        raise ApplicationError(_("Please write the answer."), field="answer", code="required")
    before = question.answer
    question.answer = answer.strip()[:5000]
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    audit(
        actor=actor, action=audit_actions.QUESTION_ANSWER, obj=question, changes={"answer": [before, question.answer]}
    )
    return question


@transaction.atomic
def question_share(*, actor: User, question: Question) -> Question:
    """Give every candidate the same information (equal treatment); they are told by e-mail."""
    _manageable(actor, question.exploration)
    if question.answered_at is None:
        raise ApplicationError(_("Please answer the question before sharing it."), code="precondition")
    if question.shared_at is not None:
        return question
    question.shared_at = timezone.now()
    question.save(update_fields=["shared_at", "updated_at"])
    audit(
        actor=actor,
        action=audit_actions.QUESTION_SHARE,
        obj=question,
        changes={"shared_at": [None, question.shared_at]},
    )
    from .tasks import notify_shared_question

    transaction.on_commit(lambda: notify_shared_question.enqueue(question_id=question.pk))
    return question


@transaction.atomic
def shared_question_notify(*, question_id: int) -> int:
    """E-mail each candidate's contact once about a shared answer (safe to run twice)."""
    question = Question.objects.select_for_update().select_related("exploration__need").filter(pk=question_id).first()
    if question is None or question.shared_at is None or question.notified_at is not None:
        return 0
    need = question.exploration.need
    url = reverse("needs:detail", args=[need.pk])
    # Who is on a long list is confidential: every startup is told on its own, members through their
    # notifications (in-app, e-mail as they chose), a startup without members at its contact address in a
    # message of its own. Excluded candidates are no longer part of the procedure and are not written to.
    candidates = (
        question.exploration.candidates.exclude(status=CandidateStatus.EXCLUDED)
        .select_related("startup__organisation")
        .order_by("pk")
    )
    told = 0
    for candidate in candidates:
        members = list(people_of(organisation_ids=[candidate.startup.organisation_id]))
        if members:
            notifications_send(
                recipients=members,
                topic=Topic.EXPLORATION,
                title=lambda: _("New information on “%(title)s”") % {"title": need.title},
                body=_shared_body(question),
                url=url,
                key=f"shared-question:{question.pk}",
            )
            told += 1
        elif candidate.startup.contact_email:
            send_to_one(
                to=candidate.startup.contact_email,
                subject=_("[Lotsenhaus] New information on “%(title)s”") % {"title": need.title},
                body=render_to_string(
                    "exploration/email/shared_question.txt",
                    {"question": question, "need": need, "url": settings.LOTSENHAUS_BASE_URL + url},
                ),
            )
            told += 1
    question.notified_at = timezone.now()
    question.save(update_fields=["notified_at"])
    return told


def _shared_body(question: Question) -> Any:
    return lambda: f"{_('Question')}: {question.text}\n\n{_('Answer')}: {question.answer}"


@transaction.atomic
def report_generate(*, actor: User, exploration: Exploration) -> StoredDocument:
    """Write the Markterkundungsbericht as DOCX and PDF; each click is a new, stored version."""
    require_permission(actor, "exploration.generate_report", exploration.need)
    # The report says what is stored, not what a caller's copy of the object says.
    exploration = Exploration.objects.select_related("need__organisation").get(pk=exploration.pk)

    def build(version: int) -> dict[str, bytes]:
        document = report.build(exploration=exploration, author=actor, version=version)
        return {"docx": to_docx(document), "pdf": to_pdf(document)}

    return document_store(
        actor=actor,
        kind=report.KIND,
        action=audit_actions.EXPLORATION_REPORT_GENERATE,
        obj=exploration,
        title=_("Market exploration report: %(title)s") % {"title": exploration.need.title},
        build=build,
        slug=f"markterkundungsbericht-{exploration.need_id}",
    )


@transaction.atomic
def contacts_expire(*, now: datetime.datetime) -> int:
    """Delete contact logs older than the retention period; the audit log keeps how many went, per exploration.

    Contact logs name people outside the administration, so they are kept only as long as the unit needs
    them (``LOTSENHAUS_RETENTION_CONTACT_DAYS``; 0 keeps them for ever). Safe to run any number of times.
    """
    days = settings.LOTSENHAUS_RETENTION_CONTACT_DAYS
    if not days:
        return 0
    expired = Contact.objects.filter(happened_on__lt=(now - datetime.timedelta(days=days)).date())
    counts = expired.values(object=F("candidate__exploration")).annotate(n=Count("id")).order_by("object")
    privacy.audit_removed(
        counts=counts,
        action=audit_actions.EXPLORATION_CONTACTS_EXPIRED,
        object_type=Exploration._meta.label_lower,
        days=days,
    )
    return int(expired.delete()[1].get(Contact._meta.label, 0))
