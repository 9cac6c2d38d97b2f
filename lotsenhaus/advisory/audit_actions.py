"""Audit actions of advisory: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

ADVISORY_ADMIT = action("advisory.admit")
ADVISORY_MILESTONE_ADD = action("advisory.milestone_add")
ADVISORY_MILESTONE_DONE = action("advisory.milestone_done")
ADVISORY_SESSION_ADD = action("advisory.session_add")
ADVISORY_UPDATE = action("advisory.update")
