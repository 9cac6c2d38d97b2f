"""Audit actions of notifications: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

NOTIFICATIONS_PREFERENCES = action("notifications.preferences")
