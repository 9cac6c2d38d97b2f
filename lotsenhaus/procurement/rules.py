from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_expert, is_need_owner, is_platform_admin, is_unit_staff

# Everyone who prepares a pilot may ask the advisor and read the limits; only platform admins change them.
rules.add_perm("procurement.use_advisor", is_unit_staff | is_need_owner | is_expert)
rules.add_perm("procurement.view_limits", is_unit_staff | is_need_owner | is_expert)
rules.add_perm("procurement.change_limits", is_platform_admin)
