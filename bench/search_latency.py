"""Latency and memory of one search over 100k indexed solutions, on SQLite or PostgreSQL.

    python bench/search_latency.py [--docs 100000] [--database-url postgres://…] [--queries 200]

The corpus is made from the 1,964 real Public Sector Tech Watch cases (shared/eval/needs-dev): each synthetic
solution takes the title of one case and 2–4 sentences of up to three others, so texts read like real solution
descriptions and the vocabulary is realistic. Embedding 100k passages would take hours on two cores, so each
synthetic document's vector is the normalised mean of its source cases' real e5 vectors (from the eval-search
cache; run eval-search on needs-dev with --cache var/eval-cache first). The lexical index is computed by the
product's analysers. Queries are the German questions of GermanQuAD-dev (search-box length) and, separately,
the long need texts of needs-dev. The timed path is what a web request does: check the index is current
(one query), embed the query, rank 100k documents with filters, and load the ten hits' rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
    import django

    django.setup()


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(docs: int, cache_dir: str) -> None:
    import numpy as np
    from django.core.management import call_command
    from django.utils import timezone

    from lotsenhaus.matching.analysis import analyse
    from lotsenhaus.matching.encoders import DirectoryCache, get_encoder, text_hash
    from lotsenhaus.matching.models import SearchDocument
    from lotsenhaus.matching.pipeline import TITLE_WEIGHT, passage_text

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the pages (bench/worker_memory.py) use the database cache
    SearchDocument.objects.all().delete()
    cases = [json.loads(line) for line in (EVAL / "needs-dev" / "corpus.jsonl").open(encoding="utf-8")]
    encoder = get_encoder()
    cache = DirectoryCache(Path(cache_dir), encoder)
    vectors = []
    for case in cases:
        vector = cache.get(text_hash(encoder.model_id, passage_text(case.get("title") or "", case["text"])))
        if vector is None:
            sys.exit("Embeddings of needs-dev are missing: run eval-search on it with --cache var/eval-cache first.")
        vectors.append(vector)
    sentences = [[s for s in re.split(r"(?<=[.!?])\s+", c["text"]) if len(s) > 30] or [c["text"]] for c in cases]
    sentence_terms: dict[str, Counter[str]] = {}

    def terms_of(text: str) -> Counter[str]:
        if text not in sentence_terms:
            sentence_terms[text] = analyse(text, "en")[1]
        return sentence_terms[text]

    rng = random.Random(42)  # noqa: S311 - a reproducible corpus, not a secret
    now = timezone.now()
    batch: list[SearchDocument] = []
    started = time.perf_counter()
    for number in range(docs):
        sources = rng.sample(range(len(cases)), 3)
        title = f"{cases[sources[0]].get('title') or 'Solution'} {number}"
        picked = [rng.choice(sentences[i]) for i in sources for _ in range(rng.randint(1, 2))][:4]
        text = " ".join(picked)
        counts: Counter[str] = Counter()
        for sentence in picked:
            counts.update(terms_of(sentence))
        for term, tf in analyse(title, "en")[1].items():
            counts[term] += tf * TITLE_WEIGHT
        vector = np.mean([vectors[i] for i in sources], axis=0)
        vector = (vector / np.linalg.norm(vector)).astype(np.float32)
        content_hash = text_hash(encoder.model_id, passage_text(title, text))
        batch.append(
            SearchDocument(
                key=f"solution:{number + 1}",
                kind="solution",
                object_id=number + 1,
                title=title[:300],
                text=text,
                language="en",
                terms=dict(counts),
                facets={
                    "public": True,
                    "organisation": rng.randint(1, 5000),
                    "maturity": rng.randint(0, 3),
                    "hosting": rng.choice([1, 2, 4]),
                    "deployment": rng.choice([1, 2, 4]),
                },
                content_hash=content_hash,
                embedding=vector.tobytes(),
                embedding_hash=content_hash,
                updated_at=now - timedelta(hours=1),
            )
        )
        if len(batch) == 2000:
            SearchDocument.objects.bulk_create(batch)
            batch = []
            print(f"  {number + 1} documents ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    SearchDocument.objects.bulk_create(batch)


def measure(count: int) -> dict[str, float]:
    from django.contrib.auth import get_user_model

    from lotsenhaus.matching import selectors
    from lotsenhaus.matching.encoders import default_encoder
    from lotsenhaus.matching.index import live_index
    from lotsenhaus.matching.models import SearchDocument
    from lotsenhaus.matching.pipeline import prepare_query

    user = get_user_model()(is_superuser=True, is_active=True, email="bench@example.org", pk=-1)
    before = rss_mb()
    started = time.perf_counter()
    index = live_index()
    load_s = time.perf_counter() - started
    loaded = rss_mb()
    short = [json.loads(line)["text"] for line in (EVAL / "germanquad-dev" / "queries.jsonl").open(encoding="utf-8")]
    long = [json.loads(line)["text"] for line in (EVAL / "needs-dev" / "queries.jsonl").open(encoding="utf-8")]
    selectors.search_hits(user=user, query="Aufwärmen", mode="hybrid")  # first query loads the model

    def timed(queries: list[str], flt: selectors.SearchFilters | None = None) -> list[float]:
        times = []
        for query in queries:
            t0 = time.perf_counter()
            outcome = selectors.search_hits(user=user, query=query, filters=flt)
            list(SearchDocument.objects.filter(key__in=[h.key for h in outcome.hits[:10]]))
            times.append((time.perf_counter() - t0) * 1000)
        return times

    def pct(times: list[float], q: float) -> float:
        ordered = sorted(times)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    short_times = timed(short[:count])
    filtered = timed(short[:count], selectors.SearchFilters(min_maturity=2, hosting_any=1 | 2))
    after_short = rss_mb()
    long_times = timed(long)
    # "Passende Lösungen": the whole need expanded by the best matches' words, ten results explained.
    # First view (the need text not embedded yet: the query cache is emptied) and a repeated one.
    need_times: list[float] = []
    again_times: list[float] = []
    for text in long:
        need = SimpleNamespace(title="", problem=text, desired_outcome="", technologies=[])
        getattr(default_encoder(), "_query_cache", {}).clear()
        for times in (need_times, again_times):
            t0 = time.perf_counter()
            selectors.solutions_for_need(user=user, need=need)
            times.append((time.perf_counter() - t0) * 1000)
    # How much of the exact semantic top 10 the binary pre-filter keeps.
    # (Asked of the engine: the search's relevance floor would hide most of these semantic-only hits.)
    kept = []
    for query in short[:count]:
        terms, vector, language, _translated = prepare_query(query, default_encoder(), "semantic")
        index.engine.tuning.prefilter_above = 20_000
        fast = [h.key for h in index.engine.search(terms, vector, k=10, mode="semantic", language=language)]
        index.engine.tuning.prefilter_above = 10**9
        full = [h.key for h in index.engine.search(terms, vector, k=10, mode="semantic", language=language)]
        kept.append(len(set(fast) & set(full)) / max(1, len(full)))
    index.engine.tuning.prefilter_above = 20_000
    return {
        "documents": float(len(index.engine)),
        "load_s": load_s,
        "rss_before_mb": before,
        "rss_loaded_mb": loaded,
        "rss_short_mb": after_short,
        "rss_after_mb": rss_mb(),
        "short_p50": statistics.median(short_times),
        "short_p95": pct(short_times, 0.95),
        "filtered_p50": statistics.median(filtered),
        "filtered_p95": pct(filtered, 0.95),
        "long_p50": statistics.median(long_times),
        "long_p95": pct(long_times, 0.95),
        "need_p50": statistics.median(need_times),
        "need_p95": pct(need_times, 0.95),
        "again_p50": statistics.median(again_times),
        "again_p95": pct(again_times, 0.95),
        "prefilter_kept": statistics.mean(kept),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}")
    parser.add_argument("--cache", default=str(ROOT / "var" / "eval-cache"))
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    setup(args.database_url)
    if args.measure_only:
        print(json.dumps(measure(args.queries)))
        return
    if not args.skip_build:
        t0 = time.perf_counter()
        build(args.docs, args.cache)
        print(f"built {args.docs} documents in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    # Measure in a fresh process, as a web worker would start.
    command = [
        sys.executable,
        __file__,
        "--measure-only",
        "--queries",
        str(args.queries),
        "--database-url",
        args.database_url,
    ]
    result = json.loads(subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout)  # noqa: S603
    backend = args.database_url.split(":", 1)[0]
    print(f"backend {backend}: {int(result['documents'])} documents")
    print(
        f"  first load {result['load_s']:.1f} s; worker memory {result['rss_before_mb']:.0f} MB before, "
        f"{result['rss_loaded_mb']:.0f} MB with the index, {result['rss_short_mb']:.0f} MB after the search-box "
        f"queries, {result['rss_after_mb']:.0f} MB after the long ones"
    )
    print(f"  search-box queries: p50 {result['short_p50']:.1f} ms, p95 {result['short_p95']:.1f} ms")
    print(f"  with filters:       p50 {result['filtered_p50']:.1f} ms, p95 {result['filtered_p95']:.1f} ms")
    print(f"  binary pre-filter keeps {result['prefilter_kept']:.1%} of the exact semantic top 10")
    print(f"  whole need texts:   p50 {result['long_p50']:.1f} ms, p95 {result['long_p95']:.1f} ms")
    print(
        f"  Passende Lösungen (expanded, 10 explained): first view p50 {result['need_p50']:.1f} ms, "
        f"p95 {result['need_p95']:.1f} ms; again p50 {result['again_p50']:.1f} ms, p95 {result['again_p95']:.1f} ms"
    )


if __name__ == "__main__":
    main()
