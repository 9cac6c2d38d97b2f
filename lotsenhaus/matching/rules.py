from typing import Any

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_startup_member, is_unit_staff
from lotsenhaus.organisations.selectors import is_member_of


@rules.predicate
def is_of_need_organisation(user: Actor, need: Any) -> bool:
    return need is not None and is_member_of(user, need.organisation_id)


@rules.predicate
def is_of_startup(user: Actor, profile: Any) -> bool:
    return profile is not None and is_member_of(user, profile.organisation_id)


# Candidates for a need are internal: the unit and the authority that owns the need.
rules.add_perm("matching.view_need_matches", is_unit_staff | is_of_need_organisation)
# A startup's matching needs: its own members and the unit (published needs only either way).
rules.add_perm("matching.view_startup_matches", is_unit_staff | is_of_startup)
rules.add_perm("matching.view_index_status", is_unit_staff)
rules.add_perm("matching.reindex", is_unit_staff)
rules.add_perm("matching.subscribe_digest", is_startup_member)
