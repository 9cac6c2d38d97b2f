"""Audit actions of procurement: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

VALUE_LIMIT_APPROVE = action("value_limit.approve")
VALUE_LIMIT_PROPOSE = action("value_limit.propose")
VALUE_LIMIT_REJECT = action("value_limit.reject")
