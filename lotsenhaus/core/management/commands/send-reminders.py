"""Queue every app's reminders (run daily from cron or a systemd timer).

Each reminder task sends at most once per milestone, event or person, so running this twice sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from lotsenhaus.core import reminders


class Command(BaseCommand):
    help = "Queue reminders: pilot milestones due within a week, events tomorrow, advisory milestones due."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reminders.queue_all()
        total = sum(counts.values())
        detail = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(f"{total} Erinnerungen eingeplant ({detail}).")
