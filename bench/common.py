"""What every benchmark needs: the repository on the path, a fresh SQLite database, medians."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        function()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def fresh_django(name: str) -> None:
    """Set Django up on a new SQLite file under var/bench/ and migrate it."""
    sys.path.insert(0, str(ROOT))
    database = ROOT / "var" / "bench" / f"{name}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
    os.environ.setdefault("LOTSENHAUS_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
