from typing import Any

from django.db.models import Q
from django.utils import timezone

from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_need_owner, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility
from lotsenhaus.organisations.selectors import is_member_of, of_own_organisations
from lotsenhaus.startups.selectors import answering_profile

from .models import PUBLIC_STATUSES, Answer, AnswerStatus, Call, CallStatus, Challenge, Status


@rules.predicate
def is_of_own_organisation(user: Any, challenge: Any) -> bool:
    return challenge is not None and is_member_of(user, challenge.organisation_id)


@rules.predicate
def is_draft(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status == Status.DRAFT


@rules.predicate
def is_open(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status not in (Status.CLOSED, Status.WITHDRAWN)


def _visible_needs(user: Any) -> Q:
    """Published needs for everyone; the own organisations' in every state; all for the unit."""
    if is_unit_staff(user):
        return EVERYTHING
    return Q(status__in=PUBLIC_STATUSES) | of_own_organisations(user, "organisation_id")


def _internal_needs(user: Any) -> Q:
    """Drafts, answers and internals: the own organisations' needs; all for the unit."""
    return EVERYTHING if is_unit_staff(user) else of_own_organisations(user, "organisation_id")


VISIBLE_NEEDS = visibility("challenges.view_challenge", Challenge, _visible_needs)
INTERNAL_NEEDS = visibility("challenges.view_internal", Challenge, _internal_needs)
rules.add_perm("challenges.view_all_challenges", is_unit_staff)
rules.add_perm("challenges.add_challenge", is_need_owner | is_unit_staff)
rules.add_perm("challenges.change_challenge", (is_of_own_organisation & is_draft) | (is_unit_staff & is_open))
rules.add_perm("challenges.submit_challenge", is_of_own_organisation | is_unit_staff)
rules.add_perm("challenges.review_challenge", is_unit_staff)
rules.add_perm("challenges.manage_challenge", is_unit_staff)
rules.add_perm("challenges.withdraw_challenge", (is_of_own_organisation | is_unit_staff) & is_open)
rules.add_perm("challenges.use_workspace", is_need_owner | is_unit_staff)


@rules.predicate
def can_still_answer(user: Any, challenge: Any) -> bool:
    """Published, before the deadline, and the person belongs to a verified startup."""
    if challenge is None or challenge.status != Status.PUBLISHED:
        return False
    if challenge.answer_deadline is None or challenge.answer_deadline < timezone.localdate():
        return False
    profile = answering_profile(user=user)
    return profile is not None and profile.is_verified


@rules.predicate
def is_answer_of_own_startup(user: Any, answer: Any) -> bool:
    return answer is not None and is_member_of(user, answer.startup.organisation_id)


@rules.predicate
def answer_still_open(user: Any, answer: Any) -> bool:
    return answer is not None and answer.status == AnswerStatus.SUBMITTED and can_still_answer(user, answer.challenge)


rules.add_perm("challenges.answer_challenge", can_still_answer)
rules.add_perm("challenges.view_answers_of_challenge", is_unit_staff | is_of_own_organisation)


def _visible_answers(user: Any) -> Q:
    """An answer: the unit, the authority it answers and the startup that wrote it – never other startups."""
    if is_unit_staff(user):
        return EVERYTHING
    return of_own_organisations(user, "challenge__organisation_id", "startup__organisation_id")


VISIBLE_ANSWERS = visibility("challenges.view_answer", Answer, _visible_answers)
rules.add_perm("challenges.change_answer", is_answer_of_own_startup & answer_still_open)


rules.add_perm("challenges.manage_calls", is_unit_staff)
VISIBLE_CALLS = visibility(
    "challenges.view_call", Call, lambda user: EVERYTHING if is_unit_staff(user) else Q(status=CallStatus.PUBLISHED)
)
