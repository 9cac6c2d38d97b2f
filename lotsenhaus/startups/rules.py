from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_expert, is_need_owner, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, NOTHING, visibility
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.organisations.selectors import is_member_of, memberships_of

from .models import StartupProfile, Verification


@rules.predicate
def is_own_startup(user: Actor, profile: Any) -> bool:
    return profile is not None and is_member_of(user, profile.organisation_id)


rules.add_perm("startups.view_directory", rules.is_authenticated)
rules.add_perm("startups.view_all_profiles", is_unit_staff)


def _visible_profiles(user: Actor) -> Q:
    """Verified startups for every signed-in person; unverified ones only for the unit and their own members."""
    if is_unit_staff(user):
        return EVERYTHING
    if not user.is_authenticated:
        return NOTHING
    # Only the person's own startups can be unverified and visible; without one the condition stays a plain
    # "verified", which the database answers in name order from its index.
    own = [org_id for org_id, (_role, kind) in memberships_of(user).items() if kind == OrganisationKind.STARTUP]
    verified = Q(verification=Verification.VERIFIED)
    return verified | Q(organisation_id__in=own) if own else verified


VISIBLE_PROFILES = visibility("startups.view_profile", StartupProfile, _visible_profiles)
rules.add_perm("startups.change_profile", is_unit_staff | is_own_startup)
rules.add_perm("startups.verify_profile", is_unit_staff)
# A startup's contact persons and addresses: the administration and the startup itself, never competitors
# (docs/trust.md, design decisions). Matched by the directory export too.
rules.add_perm("startups.view_contacts", is_unit_staff | is_need_owner | is_expert | is_own_startup)
rules.add_perm("startups.scout_startup", is_unit_staff)
