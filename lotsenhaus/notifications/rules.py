from lotsenhaus.core import predicates as rules

rules.add_perm("notifications.view_own", rules.is_authenticated & ~rules.predicate(lambda u: u.is_service_account))
