from datetime import timedelta

from .selectors import events_starting
from .tasks import remind_event


def queue() -> int:
    """Events in the next 36 hours: run daily, each event is reminded once (the day before)."""
    due = events_starting(within=timedelta(hours=36))
    for event_id in due:
        remind_event.enqueue(event_id=event_id)
    return len(due)
