"""Run a background task worker on the database queue; start as many as you like.

On start it first hands tasks back to the queue whose worker died while running them (see
``core.services.tasks_requeue_stale``), so a worker killed mid-task and restarted by systemd finishes the job.
"""

import datetime
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lotsenhaus.core.services import tasks_requeue_stale
from lotsenhaus.core.signals import worker_starting


class Command(BaseCommand):
    help = "Run a background task worker (database queue). Start as many as you like."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="Run at this lower CPU priority (1-19), so web requests on the same machine go first.",
        )
        parser.add_argument(
            "--requeue-only", action="store_true", help="Only requeue tasks of dead workers, then stop (for cron)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stale = datetime.timedelta(seconds=settings.LOTSENHAUS_TASK_STALE_SECONDS)
        requeued = tasks_requeue_stale(older_than=stale)
        if options["requeue_only"]:
            self.stdout.write(f"{requeued} Aufgabe(n) erneut eingeplant.")
            return
        if options["nice"] > 0:
            os.nice(options["nice"])
        worker_starting.send(sender=self.__class__)
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], "--interval", str(options["interval"]), *extra)
