import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lotsenhaus with gunicorn (static files through WhiteNoise), optionally with a task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default=os.environ.get("LOTSENHAUS_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--with-worker", action="store_true", help="Also run one background task worker (embedded trial)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Every request is logged by core.observability (with its route, duration and request id), so gunicorn
        # writes no access log of its own. The workers count their metrics into one directory per server, which
        # the scrape adds up (core/metrics.py); it starts empty, since counters of a previous run would add in.
        metrics_dir = Path(settings.VAR_DIR) / "metrics" / options["addrport"].replace(":", "_").replace("/", "_")
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        web = [
            sys.executable, "-m", "gunicorn", "lotsenhaus.wsgi:application",
            "--bind", options["addrport"], "--workers", str(options["workers"]),
            "--config", "python:lotsenhaus.gunicorn_conf",
        ]  # fmt: skip
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        processes = [subprocess.Popen(web, env=env)]  # noqa: S603 - fixed arguments
        if options["with_worker"]:
            processes.append(subprocess.Popen([sys.executable, "-m", "lotsenhaus", "worker"]))
        self.stdout.write(f"Lotsenhaus läuft auf http://{options['addrport']}/ (Strg+C beendet)")
        self.stdout.flush()
        signal.signal(signal.SIGTERM, lambda *_: processes[0].terminate())
        try:
            processes[0].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=15)
