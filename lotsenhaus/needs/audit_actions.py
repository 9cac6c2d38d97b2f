"""Audit actions of needs: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

ANSWER_ATTACHMENT_REMOVE = action("answer.attachment_remove")
ANSWER_CREATE = action("answer.create")
ANSWER_EXPIRED = action("answer.expired")
ANSWER_UPDATE = action("answer.update")
ANSWER_WITHDRAW = action("answer.withdraw")
CALL_ADD_NEED = action("call.add_need")
CALL_CREATE = action("call.create")
CALL_PUBLISH = action("call.publish")
CALL_REMOVE_NEED = action("call.remove_need")
NEED_ASSIGN = action("need.assign")
NEED_CREATE = action("need.create")
NEED_UPDATE = action("need.update")
NEED_STEPS = {
    step: action(f"need.{step}")
    for step in (
        "submit",
        "return",
        "publish",
        "start_exploration",
        "start_evaluation",
        "start_pilot",
        "close",
        "withdraw",
    )
}
