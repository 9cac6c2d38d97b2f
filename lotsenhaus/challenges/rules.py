from typing import Any

import rules
from django.utils import timezone

from lotsenhaus.core.roles import is_need_owner, is_unit_staff
from lotsenhaus.organisations.selectors import is_member_of
from lotsenhaus.startups.selectors import answering_profile

from .models import PUBLIC_STATUSES, AnswerStatus, CallStatus, Status


@rules.predicate
def is_public(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status in PUBLIC_STATUSES


@rules.predicate
def is_of_own_organisation(user: Any, challenge: Any) -> bool:
    return challenge is not None and is_member_of(user, challenge.organisation_id)


@rules.predicate
def is_draft(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status == Status.DRAFT


@rules.predicate
def is_open(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status not in (Status.CLOSED, Status.WITHDRAWN)


rules.add_perm("challenges.view_challenge", is_public | is_unit_staff | is_of_own_organisation)
rules.add_perm("challenges.view_internal", is_unit_staff | is_of_own_organisation)
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
def is_answer_to_own_need(user: Any, answer: Any) -> bool:
    return answer is not None and is_member_of(user, answer.challenge.organisation_id)


@rules.predicate
def answer_still_open(user: Any, answer: Any) -> bool:
    return answer is not None and answer.status == AnswerStatus.SUBMITTED and can_still_answer(user, answer.challenge)


rules.add_perm("challenges.answer_challenge", can_still_answer)
rules.add_perm("challenges.view_answers_of_challenge", is_unit_staff | is_of_own_organisation)
rules.add_perm("challenges.view_answer", is_unit_staff | is_answer_to_own_need | is_answer_of_own_startup)
rules.add_perm("challenges.change_answer", is_answer_of_own_startup & answer_still_open)


@rules.predicate
def call_is_public(user: Any, call: Any) -> bool:
    return call is not None and call.status == CallStatus.PUBLISHED


rules.add_perm("challenges.manage_calls", is_unit_staff)
rules.add_perm("challenges.view_call", call_is_public | is_unit_staff)
