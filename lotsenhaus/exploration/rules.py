from typing import Any

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_unit_staff
from lotsenhaus.needs.models import Status
from lotsenhaus.organisations.selectors import is_member_of

EXPLORING = frozenset({Status.EXPLORATION, Status.EVALUATION})


@rules.predicate
def sees_need_internals(user: Actor, need: Any) -> bool:
    """Whoever sees a need's internal part (its authority and the unit) follows its market exploration."""
    return need is not None and user.has_perm("needs.view_internal", need)


@rules.predicate
def is_exploring(user: Actor, need: Any) -> bool:
    """The long list stays open while the market is explored and the short list is evaluated."""
    return need is not None and need.status in EXPLORING


@rules.predicate
def is_published(user: Actor, need: Any) -> bool:
    return need is not None and need.status == Status.PUBLISHED


@rules.predicate
def is_candidate_startup(user: Actor, candidate: Any) -> bool:
    return candidate is not None and is_member_of(user, candidate.startup.organisation_id)


# The need's authority follows the exploration; the unit runs it. Startups see only what is shared with them.
# Seeing an exploration is seeing the need's internal part: declared once, as needs.rules.INTERNAL_NEEDS.
rules.add_perm("exploration.view_exploration", sees_need_internals)
rules.add_perm("exploration.start_exploration", is_unit_staff & is_published)
rules.add_perm("exploration.manage_exploration", is_unit_staff & is_exploring)
rules.add_perm("exploration.generate_report", is_unit_staff)
rules.add_perm("exploration.ask_question", is_candidate_startup)
