import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.utils import timezone

from lotsenhaus.core.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files into one archive (.tar.gz): into FILE, or else into the "
        "backup store (var/backups/, or backups/ in the object store when one is configured)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", nargs="?", help="Archive path on this machine (default: the backup store).")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if options["target"]:
            target = Path(options["target"])
            manifest = backup_write(target)
            where = str(target)
        else:
            with tempfile.TemporaryDirectory() as folder:
                local = Path(folder) / f"lotsenhaus-{stamp}.tar.gz"
                manifest = backup_write(local)
                with local.open("rb") as handle:
                    name = storages["backups"].save(local.name, File(handle, name=local.name))
            where = f"{name} ({self._store()})"
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Sicherung geschrieben: {where} ({rows} Datensätze, {len(manifest['files'])} Dateien).")

    @staticmethod
    def _store() -> str:
        store = storages["backups"]
        bucket = getattr(store, "bucket_name", "")
        return f"Objektspeicher, Bucket {bucket}" if bucket else str(getattr(store, "location", ""))
