from typing import Any

import rules

from lotsenhaus.core.roles import is_need_owner, is_unit_staff
from lotsenhaus.organisations.selectors import memberships_of

from .models import PUBLIC_STATUSES, Status


@rules.predicate
def is_public(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.status in PUBLIC_STATUSES


@rules.predicate
def is_of_own_organisation(user: Any, challenge: Any) -> bool:
    return challenge is not None and challenge.organisation_id in memberships_of(user)


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
