from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, visibility

from .models import Organisation
from .selectors import is_admin_of, memberships_of, of_own_organisations


@rules.predicate
def is_organisation_admin(user: Actor, organisation: Any) -> bool:
    return organisation is not None and is_admin_of(user, organisation.pk)


@rules.predicate
def has_membership(user: Actor) -> bool:
    return bool(memberships_of(user))


rules.add_perm("organisations.view_all_organisations", is_unit_staff)
rules.add_perm("organisations.view_organisation_list", is_unit_staff | has_membership)


def _visible_organisations(user: Actor) -> Q:
    """Unit staff see every organisation; everyone else only their own."""
    return EVERYTHING if is_unit_staff(user) else of_own_organisations(user, "pk")


VISIBLE_ORGANISATIONS = visibility("organisations.view_organisation", Organisation, _visible_organisations)
rules.add_perm("organisations.add_organisation", is_unit_staff)
rules.add_perm("organisations.change_organisation", is_unit_staff | is_organisation_admin)
rules.add_perm("organisations.manage_members", is_unit_staff | is_organisation_admin)
# The e-mail domains assign single sign-on users to an organisation: only the unit sets them.
rules.add_perm("organisations.set_email_domains", is_unit_staff)
