from typing import Any

import rules

from lotsenhaus.core.roles import is_unit_staff
from lotsenhaus.organisations.selectors import is_member_of


@rules.predicate
def is_startup_of(user: Any, enrolment: Any) -> bool:
    return enrolment is not None and is_member_of(user, enrolment.startup.organisation_id)


rules.add_perm("advisory.manage", is_unit_staff)
rules.add_perm("advisory.view_enrolment", is_unit_staff | is_startup_of)
rules.add_perm("advisory.complete_milestone", is_unit_staff | is_startup_of)
