"""Audit actions of core: the stable codes its services write into the audit log (docs/architecture.md)."""

from .audit import action

ACCESSIBILITY_FEEDBACK_SUBMIT = action("accessibility_feedback.submit")
