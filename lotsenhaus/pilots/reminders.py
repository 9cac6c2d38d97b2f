from .selectors import milestones_due
from .tasks import remind_milestone


def queue() -> int:
    due = milestones_due()
    for milestone_id in due:
        remind_milestone.enqueue(milestone_id=milestone_id)
    return len(due)
