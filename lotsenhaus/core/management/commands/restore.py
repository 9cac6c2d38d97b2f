import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lotsenhaus.core.backup import backup_restore
from lotsenhaus.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into a new, empty database (and its uploaded files). SOURCE is a "
        "path on this machine or the name of an archive in the backup store."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        store = storages["backups"]
        try:
            with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryDirectory() as folder:
                if not source.is_file():
                    if not store.exists(options["source"]):
                        raise CommandError(f"Keine Sicherung gefunden: {options['source']}")
                    local = Path(folder) / "backup.tar.gz"
                    with store.open(options["source"], "rb") as remote, local.open("wb") as handle:
                        shutil.copyfileobj(remote, handle)
                    source = local
                manifest = backup_restore(source)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Wiederhergestellt: {rows} Datensätze, {len(manifest['files'])} Dateien.")
