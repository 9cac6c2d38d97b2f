from .selectors import milestones_due
from .services import clause_expiry_notify
from .tasks import remind_milestone


def queue() -> int:
    due = milestones_due()
    for milestone_id in due:
        remind_milestone.enqueue(milestone_id=milestone_id)
    return len(due)


def queue_clause_expiry() -> int:
    return clause_expiry_notify()
