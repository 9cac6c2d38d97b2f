"""Resend immediate e-mails whose task was lost and, with ``--digests``, queue the digests.

Run it every few minutes, and once a day with ``--digests`` (weekly digests go out on ``--weekly-day``).
Every task sends at most once (row lock plus ``emailed_at``), so overlapping runs or a worker killed and
restarted send nothing twice.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lotsenhaus.notifications import selectors
from lotsenhaus.notifications.models import Frequency
from lotsenhaus.notifications.tasks import send_digest, send_notification_email


class Command(BaseCommand):
    help = "Queue notification e-mails whose task did not finish, and the daily and weekly digests."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--digests", action="store_true", help="Queue the daily digests (run once a day).")
        parser.add_argument("--weekly-day", type=int, default=0, help="Weekday of the weekly digest (0 = Monday).")
        parser.add_argument("--weekly", action="store_true", help="Queue the weekly digests whatever the day.")
        parser.add_argument("--grace-minutes", type=int, default=10, help="Age after which an unsent e-mail is lost.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.localtime()
        lost = selectors.unsent_immediate(created_before=now - timedelta(minutes=options["grace_minutes"]))
        for pk in lost:
            send_notification_email.enqueue(notification_id=pk)
        frequencies = []
        if options["digests"]:
            frequencies.append(Frequency.DAILY)
        if options["weekly"] or (options["digests"] and now.weekday() == options["weekly_day"]):
            frequencies.append(Frequency.WEEKLY)
        queued = 0
        for frequency in frequencies:
            for user_id in selectors.digest_recipients(frequency=frequency):
                send_digest.enqueue(user_id=user_id, frequency=frequency)
                queued += 1
        self.stdout.write(f"{len(lost)} E-Mails erneut eingeplant, {queued} Zusammenfassungen eingeplant.")
