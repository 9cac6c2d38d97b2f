from typing import Any

import rules

from lotsenhaus.core.roles import is_expert, is_need_owner, is_unit_staff
from lotsenhaus.organisations.selectors import is_member_of

from .models import Verification


@rules.predicate
def is_own_startup(user: Any, profile: Any) -> bool:
    return profile is not None and is_member_of(user, profile.organisation_id)


@rules.predicate
def is_verified(user: Any, profile: Any) -> bool:
    return profile is not None and profile.verification == Verification.VERIFIED


rules.add_perm("startups.view_directory", rules.is_authenticated)
rules.add_perm("startups.view_all_profiles", is_unit_staff)
rules.add_perm("startups.view_profile", is_unit_staff | is_own_startup | (rules.is_authenticated & is_verified))
rules.add_perm("startups.change_profile", is_unit_staff | is_own_startup)
rules.add_perm("startups.verify_profile", is_unit_staff)
# A startup's contact persons and addresses: the administration and the startup itself, never competitors
# (docs/trust.md, design decisions). Matched by the directory export too.
rules.add_perm("startups.view_contacts", is_unit_staff | is_need_owner | is_expert | is_own_startup)
rules.add_perm("startups.scout_startup", is_unit_staff)
