from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lotsenhaus.core.backup import backup_restore
from lotsenhaus.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into a new, empty database (and its uploaded files)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                manifest = backup_restore(Path(options["source"]))
        except ApplicationError as error:
            raise CommandError(error.message) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Wiederhergestellt: {rows} Datensätze, {len(manifest['files'])} Dateien.")
