from .selectors import milestones_due
from .tasks import remind_advisory_milestone


def queue() -> int:
    due = milestones_due()
    for milestone_id in due:
        remind_advisory_milestone.enqueue(milestone_id=milestone_id)
    return len(due)
