from typing import Any

import rules

from lotsenhaus.core.roles import is_expert, is_need_owner, is_unit_staff
from lotsenhaus.organisations.selectors import is_admin_of, is_member_of

from .models import Publication


@rules.predicate
def is_of_own_organisation(user: Any, use_case: Any) -> bool:
    return use_case is not None and is_member_of(user, use_case.organisation_id)


@rules.predicate
def is_approver(user: Any, use_case: Any) -> bool:
    return use_case is not None and is_admin_of(user, use_case.organisation_id)


@rules.predicate
def is_published(user: Any, use_case: Any) -> bool:
    return use_case is not None and use_case.publication == Publication.PUBLISHED


rules.add_perm("airegister.use_workspace", is_need_owner | is_unit_staff | is_expert)
rules.add_perm("airegister.add_usecase", is_need_owner | is_unit_staff)
rules.add_perm("airegister.view_usecase", is_unit_staff | is_expert | is_of_own_organisation)
rules.add_perm("airegister.change_usecase", is_unit_staff | is_of_own_organisation)
rules.add_perm("airegister.approve_usecase", is_unit_staff | is_approver)
rules.add_perm("airegister.publish_usecase", is_unit_staff)
rules.add_perm("airegister.sign_off_assessment", is_expert)
