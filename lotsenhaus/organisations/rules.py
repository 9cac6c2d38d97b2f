from typing import Any

import rules

from lotsenhaus.core.roles import is_unit_staff

from .models import MembershipRole
from .selectors import memberships_of


@rules.predicate
def is_member(user: Any, organisation: Any) -> bool:
    return organisation is not None and organisation.pk in memberships_of(user)


@rules.predicate
def is_organisation_admin(user: Any, organisation: Any) -> bool:
    if organisation is None:
        return False
    entry = memberships_of(user).get(organisation.pk)
    return entry is not None and entry[0] == MembershipRole.ADMIN


@rules.predicate
def has_membership(user: Any) -> bool:
    return bool(memberships_of(user))


rules.add_perm("organisations.view_all_organisations", is_unit_staff)
rules.add_perm("organisations.view_organisation_list", is_unit_staff | has_membership)
rules.add_perm("organisations.view_organisation", is_unit_staff | is_member)
rules.add_perm("organisations.add_organisation", is_unit_staff)
rules.add_perm("organisations.change_organisation", is_unit_staff | is_organisation_admin)
rules.add_perm("organisations.manage_members", is_unit_staff | is_organisation_admin)
