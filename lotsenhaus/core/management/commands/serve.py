import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lotsenhaus with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default=os.environ.get("LOTSENHAUS_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Lotsenhaus läuft auf http://{options['addrport']}/ (Strg+C beendet)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "lotsenhaus.wsgi:application",
            "--bind",
            options["addrport"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn on purpose
