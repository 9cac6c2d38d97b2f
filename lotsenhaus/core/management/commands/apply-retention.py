"""Delete what is past its retention period (run daily from cron or a systemd timer).

Each app registers its job in ``core.privacy``: contact logs of market explorations and answers to closed
needs. The periods come from the settings; running it twice deletes nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lotsenhaus.core import privacy


class Command(BaseCommand):
    help = "Delete contact logs and answers past their retention period (LOTSENHAUS_RETENTION_*_DAYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        counts = {name: job(now) for name, job in privacy.retention_jobs().items()}
        detail = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(f"{sum(counts.values())} Datensätze nach Ablauf der Aufbewahrungsfrist gelöscht ({detail}).")
