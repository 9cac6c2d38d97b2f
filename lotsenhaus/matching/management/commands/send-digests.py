"""Queue this week's digest e-mail for every active subscription (run weekly from cron or a systemd timer).

Each task sends at most one e-mail per subscription and ISO week, so running this twice, or a worker dying and
retrying, sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from lotsenhaus.matching import services
from lotsenhaus.matching.tasks import send_digest


class Command(BaseCommand):
    help = "Queue the weekly e-mail of newly published matching needs for every subscriber."

    def handle(self, *args: Any, **options: Any) -> None:
        due = services.digest_due()
        for subscription_id in due:
            send_digest.enqueue(subscription_id)
        self.stdout.write(f"{len(due)} Benachrichtigungen eingeplant.")
