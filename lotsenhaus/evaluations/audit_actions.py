"""Audit actions of evaluations: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

EVALUATION_CLOSE = action("evaluation.close")
EVALUATION_CRITERION_ADD = action("evaluation.criterion_add")
EVALUATION_CRITERION_REMOVE = action("evaluation.criterion_remove")
EVALUATION_CRITERION_UPDATE = action("evaluation.criterion_update")
EVALUATION_DECLARE = action("evaluation.declare")
EVALUATION_EXPORT = action("evaluation.export")
EVALUATION_INVITE = action("evaluation.invite")
EVALUATION_OPEN = action("evaluation.open")
EVALUATION_PRICE = action("evaluation.price")
EVALUATION_SCORE = action("evaluation.score")
EVALUATION_START = action("evaluation.start")
EVALUATION_SUBMIT = action("evaluation.submit")
EVALUATION_UPDATE = action("evaluation.update")
