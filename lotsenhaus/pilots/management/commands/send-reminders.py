"""Queue reminders for pilot milestones due within a week (run daily from cron or a systemd timer).

Each task sends at most one reminder per milestone, so running this twice sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from lotsenhaus.pilots.selectors import milestones_due
from lotsenhaus.pilots.tasks import remind_milestone


class Command(BaseCommand):
    help = "Queue e-mail reminders for pilot milestones due within a week."

    def handle(self, *args: Any, **options: Any) -> None:
        due = milestones_due()
        for milestone_id in due:
            remind_milestone.enqueue(milestone_id=milestone_id)
        self.stdout.write(f"{len(due)} Erinnerungen eingeplant.")
