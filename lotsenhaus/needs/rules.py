from typing import Any

from django.db.models import Q
from django.utils import timezone

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_need_owner, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility
from lotsenhaus.organisations.selectors import is_member_of, of_own_organisations
from lotsenhaus.startups.selectors import answering_profile

from .models import PUBLIC_STATUSES, Answer, AnswerStatus, Call, CallStatus, Need, Status


@rules.predicate
def is_of_own_organisation(user: Actor, need: Any) -> bool:
    return need is not None and is_member_of(user, need.organisation_id)


@rules.predicate
def is_draft(user: Actor, need: Any) -> bool:
    return need is not None and need.status == Status.DRAFT


@rules.predicate
def is_open(user: Actor, need: Any) -> bool:
    return need is not None and need.status not in (Status.CLOSED, Status.WITHDRAWN)


def _visible_needs(user: Actor) -> Q:
    """Published needs for everyone; the own organisations' in every state; all for the unit."""
    if is_unit_staff(user):
        return EVERYTHING
    return Q(status__in=PUBLIC_STATUSES) | of_own_organisations(user, "organisation_id")


def _internal_needs(user: Actor) -> Q:
    """Drafts, answers and internals: the own organisations' needs; all for the unit."""
    return EVERYTHING if is_unit_staff(user) else of_own_organisations(user, "organisation_id")


VISIBLE_NEEDS = visibility("needs.view_need", Need, _visible_needs)
INTERNAL_NEEDS = visibility("needs.view_internal", Need, _internal_needs)
rules.add_perm("needs.view_all_needs", is_unit_staff)
rules.add_perm("needs.add_need", is_need_owner | is_unit_staff)
rules.add_perm("needs.change_need", (is_of_own_organisation & is_draft) | (is_unit_staff & is_open))
rules.add_perm("needs.submit_need", is_of_own_organisation | is_unit_staff)
rules.add_perm("needs.review_need", is_unit_staff)
rules.add_perm("needs.manage_need", is_unit_staff)
rules.add_perm("needs.withdraw_need", (is_of_own_organisation | is_unit_staff) & is_open)
rules.add_perm("needs.use_workspace", is_need_owner | is_unit_staff)


@rules.predicate
def can_still_answer(user: Actor, need: Any) -> bool:
    """Published, before the deadline, and the person belongs to a verified startup."""
    if need is None or need.status != Status.PUBLISHED:
        return False
    if need.answer_deadline is None or need.answer_deadline < timezone.localdate():
        return False
    profile = answering_profile(user=user)
    return profile is not None and profile.is_verified


@rules.predicate
def is_answer_of_own_startup(user: Actor, answer: Any) -> bool:
    return answer is not None and is_member_of(user, answer.startup.organisation_id)


@rules.predicate
def answer_still_open(user: Actor, answer: Any) -> bool:
    return answer is not None and answer.status == AnswerStatus.SUBMITTED and can_still_answer(user, answer.need)


rules.add_perm("needs.answer_need", can_still_answer)
rules.add_perm("needs.view_answers_of_need", is_unit_staff | is_of_own_organisation)


def _visible_answers(user: Actor) -> Q:
    """An answer: the unit, the authority it answers and the startup that wrote it – never other startups."""
    if is_unit_staff(user):
        return EVERYTHING
    return of_own_organisations(user, "need__organisation_id", "startup__organisation_id")


VISIBLE_ANSWERS = visibility("needs.view_answer", Answer, _visible_answers)
rules.add_perm("needs.change_answer", is_answer_of_own_startup & answer_still_open)


rules.add_perm("needs.manage_calls", is_unit_staff)
VISIBLE_CALLS = visibility(
    "needs.view_call", Call, lambda user: EVERYTHING if is_unit_staff(user) else Q(status=CallStatus.PUBLISHED)
)
