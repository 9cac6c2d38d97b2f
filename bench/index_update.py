"""How long an edited solution takes to be found by its words: the edit's transaction, then another worker's
next search (which notices the change with one query and applies it).

    python bench/index_update.py [--database-url …] [--runs 20] [--after-bulk]

Run it on the database of bench/search_latency.py to measure with 100k documents in the index. ``--after-bulk``
first stamps every document as changed now – what a seeding, a reindex or the embedding of a whole world does –
so that each later search looks back over a window holding the whole index (issue 22).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--after-bulk", action="store_true", help="every document changed just before the runs")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from lotsenhaus.matching import selectors
    from lotsenhaus.matching.index import live_index
    from lotsenhaus.organisations.models import Organisation, OrganisationKind
    from lotsenhaus.startups import services
    from lotsenhaus.startups.models import StartupProfile, Verification

    admin, _ = get_user_model().objects.get_or_create(
        email="bench-admin@example.org", defaults={"is_superuser": True, "is_staff": True, "name": "Bench"}
    )
    org, _ = Organisation.objects.get_or_create(name="Bench Startup GmbH", defaults={"kind": OrganisationKind.STARTUP})
    profile, _ = StartupProfile.objects.get_or_create(
        organisation=org, defaults={"verification": Verification.VERIFIED}
    )
    solution = services.solution_save(actor=admin, profile=profile, name="Bench solution", description="Start.")
    index = live_index()
    if args.after_bulk:
        from django.db.models import F
        from django.utils import timezone

        from lotsenhaus.matching.models import SearchDocument

        t0 = time.perf_counter()
        touched = SearchDocument.objects.update(updated_at=timezone.now(), revision=F("revision") + 1)
        index = live_index()  # applies the bulk change once, as every worker's next search does
        print(f"{touched} documents stamped as changed, applied in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(f"{len(index.engine)} documents in the index", file=sys.stderr)
    save_ms, found_ms = [], []
    for run in range(args.runs):
        word = f"Zauberwort{run}x{int(time.time())}"
        t0 = time.perf_counter()
        services.solution_save(actor=admin, profile=profile, solution=solution, description=f"Neu: {word}.")
        t1 = time.perf_counter()
        outcome = selectors.search_hits(user=admin, query=word, mode="lexical")
        t2 = time.perf_counter()
        if f"solution:{solution.pk}" not in [h.key for h in outcome.hits]:
            sys.exit(f"run {run}: the edited solution was not found")
        save_ms.append((t1 - t0) * 1000)
        found_ms.append((t2 - t0) * 1000)
    services.solution_delete(actor=admin, solution=solution)
    print(
        f"edit saved (with its lexical index) in median {statistics.median(save_ms):.1f} ms; "
        f"found by another search in median {statistics.median(found_ms):.1f} ms, max {max(found_ms):.1f} ms "
        f"({args.runs} runs)"
    )


if __name__ == "__main__":
    main()
