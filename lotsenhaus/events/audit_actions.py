"""Audit actions of events: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

EVENT_CANCEL = action("event.cancel")
EVENT_CANCEL_REGISTRATION = action("event.cancel_registration")
EVENT_CREATE = action("event.create")
EVENT_INVITE_TO_ANSWER = action("event.invite_to_answer")
EVENT_PUBLISH = action("event.publish")
EVENT_REGISTER = action("event.register")
EVENT_UPDATE = action("event.update")
