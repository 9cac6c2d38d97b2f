from lotsenhaus.core import predicates as rules

rules.add_perm("accounts.use_platform", rules.is_authenticated & rules.is_active)
