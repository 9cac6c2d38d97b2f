from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lotsenhaus.core.backup import backup_write


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one archive (.tar.gz)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", nargs="?", help="Archive path (default: var/backups/lotsenhaus-<time>.tar.gz).")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(options["target"] or Path(settings.VAR_DIR) / "backups" / f"lotsenhaus-{stamp}.tar.gz")
        manifest = backup_write(target)
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Sicherung geschrieben: {target} ({rows} Datensätze, {len(manifest['files'])} Dateien).")
