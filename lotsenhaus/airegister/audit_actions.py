"""Audit actions of airegister: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

USECASE_ASSESS = action("usecase.assess")
USECASE_ASSESSMENT_SIGN_OFF = action("usecase.assessment_sign_off")
USECASE_CREATE = action("usecase.create")
USECASE_DUTY_CHECK = action("usecase.duty_check")
USECASE_INVITE_EXPERT = action("usecase.invite_expert")
USECASE_READER_ANSWER = action("usecase.reader_answer")
USECASE_READER_MESSAGE = action("usecase.reader_message")
USECASE_UPDATE = action("usecase.update")
USECASE_STEPS = {step: action(f"usecase.{step}") for step in ("submit", "approve", "return", "publish")}
