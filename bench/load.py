"""Load test: Lotsenhaus under gunicorn on PostgreSQL, seeded with many startups, solutions and needs, against
locust users on the main pages and the API; then the same users against a bare Django page for comparison.

    DATABASE_URL=postgres://…/lotsenhaus_load python bench/load.py [--startups 100000] [--needs 10000]
        [--users 50] [--seconds 60] [--workers 4]

Prints, per page, requests, p50/p95/p99 (ms) and throughput, and the ratio to the bare page. Seeding is done
once per database (rows are counted first); the search index is built without embeddings (the lexical half of
the search answers; computing 200k embeddings on a CPU takes hours and is not what this measures).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.harness import free_port  # noqa: E402

OUT = ROOT / "var" / "bench"


def _create_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    name = connection.settings_dict["NAME"]
    params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def seed(startups: int, needs: int) -> dict[str, object]:
    """Bulk-insert the rows (no signals, so no per-row indexing), then build the search index once."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
    import django

    django.setup()
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from lotsenhaus.accounts.models import User
    from lotsenhaus.accounts.services import api_token_create
    from lotsenhaus.matching.services import search_reindex
    from lotsenhaus.needs.models import Need
    from lotsenhaus.organisations.models import Membership, Organisation
    from lotsenhaus.startups.models import Solution, StartupProfile

    _create_database()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    words = ["Antrag", "Verkehr", "Daten", "KI", "Schule", "Energie", "Wasser", "Bau", "Chatbot", "Texterkennung"]
    started = time.perf_counter()
    have = StartupProfile.objects.count()
    batch = 5000
    for start in range(have, startups, batch):
        n = min(batch, startups - start)
        orgs = Organisation.objects.bulk_create(
            Organisation(name=f"Last-Startup {i}", slug=f"last-startup-{i}", kind="startup")
            for i in range(start, start + n)
        )
        profiles = StartupProfile.objects.bulk_create(
            StartupProfile(
                organisation=o,
                name=o.name,
                verification="verified",
                short_description=f"{words[i % 10]} und {words[(i * 7) % 10]} für die Verwaltung",
            )
            for i, o in enumerate(orgs, start)
        )
        Solution.objects.bulk_create(
            Solution(profile=p, name=f"{words[i % 10]}-Lösung {i}", description=f"Hilft bei {words[(i * 3) % 10]}.")
            for i, p in enumerate(profiles, start)
        )
    authority, _ = Organisation.objects.get_or_create(
        slug="last-bezirksamt", defaults={"name": "Last-Bezirksamt", "kind": "bezirksamt"}
    )
    owner, created = User.objects.get_or_create(email="last-owner@example.org", defaults={"name": "Last"})
    if created:
        Membership.objects.create(user=owner, organisation=authority, role="member")
    have_needs = Need.objects.filter(organisation=authority).count()
    now, deadline = timezone.now(), timezone.localdate() + datetime.timedelta(days=60)
    for start in range(have_needs, needs, batch):
        Need.objects.bulk_create(
            Need(
                organisation=authority,
                owner=owner,
                title=f"Bedarf {i}: {words[i % 10]} verbessern",
                problem=f"Heute kostet {words[(i * 3) % 10]} viel Zeit.",
                desired_outcome="Schneller und verständlicher.",
                status="published",
                protection_class="public",
                published_at=now,
                answer_deadline=deadline,
            )
            for i in range(start, min(start + batch, needs))
        )
    seeded = time.perf_counter() - started
    indexed = 0.0
    if have < startups or have_needs < needs:
        t0 = time.perf_counter()
        search_reindex(embed=False)
        indexed = time.perf_counter() - t0
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session.create()
    _, token = api_token_create(actor=owner, name="Lasttest", days=1)
    return {
        "session": session.session_key,
        "token": token,
        "needs": list(Need.objects.filter(organisation=authority).values_list("pk", flat=True)[:2000]),
        "startups": list(StartupProfile.objects.filter(verification="verified").values_list("pk", flat=True)[:2000]),
        "rows": {"startups": StartupProfile.objects.count(), "solutions": Solution.objects.count(), "needs": needs},
        "seconds": {"insert": round(seeded, 1), "index": round(indexed, 1)},
    }


IMPORT_SCRIPT = """
import subprocess, sys, time, django
django.setup()
from lotsenhaus.accounts.models import User
from lotsenhaus.startups.models import StartupImport
from lotsenhaus.startups.services import import_preview, import_run
count, tag, nice = int(sys.argv[1]), sys.argv[2], sys.argv[3]
actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("last-admin@example.org")
lines = ["Name;Website;Kurzbeschreibung"] + [
    f"Import-{tag}-{i} GmbH;https://import-{tag}-{i}.example;Texterkennung und Daten" for i in range(count)
]
# One background worker, as `lotsenhaus serve --with-worker` or a worker unit runs it, until the import is done
# (the embeddings it queues are not waited for: the benchmark's world is searched lexically).
worker = subprocess.Popen([sys.executable, "-m", "lotsenhaus", "worker", "--nice", nice, "--interval", "0.2"])
def wait_for(*states):
    while not StartupImport.objects.filter(pk=upload.pk, state__in=states).exists():
        time.sleep(0.2)
started = time.perf_counter()
upload = import_preview(actor=actor, file_name="liste.csv", content="\\n".join(lines).encode())  # the upload request
uploaded = time.perf_counter()
wait_for("checked")  # the check runs in the background
checked = time.perf_counter()
import_run(actor=actor, upload=upload)  # what the import page's button does: it only queues the task
queued = time.perf_counter()
wait_for("done")
worker.terminate()
worker.wait()
upload.refresh_from_db()
print(
    f"imported {upload.imported_count} startups: upload request {1000 * (uploaded - started):.0f} ms, "
    f"background check {checked - uploaded:.1f} s, import request {1000 * (queued - checked):.0f} ms, "
    f"background import {time.perf_counter() - queued:.1f} s (worker nice {nice})",
    flush=True,
)
"""


def _import_during(count: int, delay: float, env: dict[str, str], nice: int) -> subprocess.Popen[str]:
    """A coordinator imports a CSV list of ``count`` startups while the users browse (after ``delay`` s): the upload
    request reads the file, the check and the import run as background tasks in one ``lotsenhaus worker``."""
    tag = str(int(time.time()))
    script = f"import time; time.sleep({delay})\n" + IMPORT_SCRIPT
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script, str(count), tag, str(nice)], env=env, stdout=subprocess.PIPE, text=True
    )


def serve(app: str, port: int, workers: int, env: dict[str, str], chdir: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--chdir", str(chdir), "--log-level", "warning",
        *(["--config", "python:lotsenhaus.gunicorn_conf"] if app.startswith("lotsenhaus") else []),
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)  # noqa: S603 - fixed arguments
    # Ready when a worker answers over HTTP (an open port alone says nothing about the workers).
    import urllib.request

    path = "/healthz" if app.startswith("lotsenhaus") else "/"
    for _ in range(1200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn for {app} did not start")


def _locust(user_class: str, port: int, users: int, seconds: int, prefix: Path, env: dict[str, str]) -> list[dict]:
    """Run locust; each row gets, besides its percentiles, "slow": the number of requests over 1 s."""
    times = Path(f"{prefix}_times.tsv")
    times.unlink(missing_ok=True)
    env = {**env, "LOAD_TIMES": str(times)}
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), user_class, "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--only-summary",
        "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    slow: dict[str, int] = {}
    if times.exists():
        for line in times.read_text().splitlines():
            name, ms, _at = line.split("\t")
            if float(ms) > 1000:
                slow[name] = slow.get(name, 0) + 1
    for row in rows:
        row["slow"] = sum(slow.values()) if row["Name"] == "Aggregated" else slow.get(row["Name"], 0)
    return rows


HEADER = (
    f"{'page':22} {'requests':>7} {'fails':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'>1 s':>5} "
    f"{'req/s':>8}   (ms)"
)


def _row(r: dict) -> str:
    return (
        f"{r['Name']:22} {int(r['Request Count']):7} {int(r['Failure Count']):5} "
        f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6} {float(r['Max Response Time']):7.0f} {r.get('slow', 0):5} "
        f"{float(r['Requests/s']):8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--startups", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare Django page")
    parser.add_argument(
        "--import-startups", type=int, default=0, help="import a CSV list of this many startups while users browse"
    )
    parser.add_argument("--worker-nice", type=int, default=10, help="CPU priority of the import's task worker")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Note: DATABASE_URL is not PostgreSQL; the figures are for SQLite.")
    OUT.mkdir(parents=True, exist_ok=True)
    info = seed(args.startups, args.needs)
    seed_file = OUT / "load_seed.json"
    seed_file.write_text(json.dumps(info))
    print(f"Seeded {info['rows']} in {info['seconds']['insert']} s, search index {info['seconds']['index']} s")
    if args.seed_only:
        return
    env = {**os.environ, "LOAD_SEED": str(seed_file), "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base"}
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    env.setdefault("CONN_MAX_AGE", "60")  # as in production: a worker keeps its database connection
    results = {}
    for name, app, user_class, chdir in (
        ("lotsenhaus", "lotsenhaus.wsgi:application", "Person", ROOT),
        ("bare", "bare:application", "Baseline", ROOT / "bench"),
    ):
        if name == "bare" and args.no_baseline:
            continue
        port = free_port()
        server = serve(app, port, args.workers, env, chdir)
        try:
            # Warm-up, not measured: each gunicorn worker compiles its templates and loads the search model
            # on its first requests (0.7 s and 1 s), which says nothing about the steady state.
            _locust(user_class, port, args.users, max(10, args.seconds // 6), OUT / f"warmup_{name}", env)
            importer = None
            if args.import_startups and name == "lotsenhaus":
                importer = _import_during(args.import_startups, 5, env, args.worker_nice)
            results[name] = _locust(user_class, port, args.users, args.seconds, OUT / f"load_{name}", env)
            if importer is not None:
                out, _err = importer.communicate(timeout=600)
                print(out.strip() + " (while the users browsed)")
        finally:
            server.terminate()
            server.wait(15)
    print(
        f"\n{args.users} users, {args.seconds} s each, gunicorn {args.workers} workers, {os.cpu_count()} cores "
        "(locust on the same machine)"
    )
    print(HEADER)
    for r in results["lotsenhaus"]:
        print(_row(r))
    bare = results["bare"][-1] if "bare" in results else {**results["lotsenhaus"][-1], "50%": 1, "95%": 1}
    if "bare" in results:
        print(_row({**bare, "Name": "bare Django page"}))
    app = results["lotsenhaus"][-1]  # the "Aggregated" row
    print(
        f"\nRatio to the bare Django page: p50 ×{float(app['50%']) / max(float(bare['50%']), 1):.1f}, "
        f"p95 ×{float(app['95%']) / max(float(bare['95%']), 1):.1f}; "
        f"target p95 ≤ 150 ms: {'met' if float(app['95%']) <= 150 else 'NOT met'}"
    )
    if args.out:
        args.out.write_text(json.dumps({"args": vars(args) | {"out": str(args.out)}, "seed": info, **results}))
    failures = int(app["Failure Count"])
    if failures:
        raise SystemExit(f"{failures} request(s) failed under load; see {OUT}/load_lotsenhaus_failures.csv")


if __name__ == "__main__":
    main()
