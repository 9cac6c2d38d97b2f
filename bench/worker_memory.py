"""Memory per web worker (issue 21, goal 5): what each further gunicorn worker of a node costs at 100k documents.

    python bench/search_latency.py          # once: builds var/bench/search.sqlite3 with 100,000 solutions
    python bench/worker_memory.py [--workers 1 2 4] [--database-url URL]

Starts `lotsenhaus.wsgi` under the project's gunicorn settings (index loaded and pages warmed in the master before
the fork, the query encoder warmed in each worker), sends every worker search-box queries, whole need texts and
ordinary pages, then reads /proc/<pid>/smaps_rollup of the master and each worker: RSS, PSS (shared pages
divided among the processes that share them) and USS (pages of this process alone). The node's memory is the
sum of the PSS; a further worker costs the growth of that sum per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))

from load import serve  # noqa: E402

from scripts.harness import free_port  # noqa: E402


def memory_of(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                values[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "uss": values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0),
    }


def children_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(p) for p in handle.read().split()]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - our own server on loopback
            answer.read()
            return int(answer.status)
    except OSError:
        return 0


def measure(workers: int, env: dict[str, str]) -> dict[str, object]:
    port = free_port()
    server = serve("lotsenhaus.wsgi:application", port, workers, env, ROOT)  # ready when /healthz answers
    base = f"http://127.0.0.1:{port}"
    try:
        short = [json.loads(line)["text"] for line in (EVAL / "germanquad-dev" / "queries.jsonl").open()][:60]
        long = [json.loads(line)["text"] for line in (EVAL / "needs-dev" / "queries.jsonl").open()]
        urls = [f"{base}/suche/?{urllib.parse.urlencode({'q': q})}" for q in short + [t[:1000] for t in long]]
        urls += [f"{base}{p}" for p in ("/", "/bedarfe/", "/startups/", "/ki-register/", "/api/v1/needs")] * 8
        with ThreadPoolExecutor(max_workers=2 * workers) as pool:
            statuses = list(pool.map(get, urls))
        time.sleep(1)
        master = memory_of(server.pid)
        pids = children_of(server.pid)
        each = [memory_of(pid) for pid in pids]
        return {
            "workers": len(pids),
            "answered": sum(s == 200 for s in statuses),
            "requests": len(urls),
            "master": master,
            "each": each,
            "node_pss": master["pss"] + sum(w["pss"] for w in each),
        }
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    rows = [measure(n, env) for n in args.workers]
    for row in rows:
        each = row["each"]
        assert isinstance(each, list)
        print(
            f"{row['workers']} workers ({row['answered']}/{row['requests']} requests answered): node PSS "
            f"{row['node_pss']:.0f} MB; master RSS {row['master']['rss']:.0f} MB; per worker RSS "  # type: ignore[index]
            + ", ".join(f"{w['rss']:.0f}" for w in each)
            + " MB, USS "
            + ", ".join(f"{w['uss']:.0f}" for w in each)
            + " MB"
        )
    first, last = rows[0], rows[-1]
    extra = int(last["workers"]) - int(first["workers"])  # type: ignore[call-overload]
    if extra > 0:
        cost = (float(last["node_pss"]) - float(first["node_pss"])) / extra  # type: ignore[arg-type]
        print(f"each further worker costs {cost:.0f} MB (node PSS, {first['workers']} → {last['workers']} workers)")


if __name__ == "__main__":
    main()
