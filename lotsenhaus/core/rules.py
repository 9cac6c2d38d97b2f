from lotsenhaus.core import predicates as rules
from lotsenhaus.core.actors import Actor

from .roles import (
    is_coordinator,
    is_expert,
    is_need_owner,
    is_platform_admin,
    is_startup_member,
    is_unit_staff,
    roles_of,
)


@rules.predicate
def is_unassigned(user: Actor) -> bool:
    return bool(user.is_authenticated) and not roles_of(user)


rules.add_perm("core.view_auditlog", is_unit_staff)
rules.add_perm("core.view_feedback", is_unit_staff)
# Role checks as permissions, so navigation and dashboard cards can name them.
rules.add_perm("roles.coordinator", is_coordinator)
rules.add_perm("roles.need_owner", is_need_owner)
rules.add_perm("roles.startup_member", is_startup_member)
rules.add_perm("roles.expert", is_expert)
rules.add_perm("roles.platform_admin", is_platform_admin)
rules.add_perm("roles.unassigned", is_unassigned)
