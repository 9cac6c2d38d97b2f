"""Query expansion for whole needs ("Passende Lösungen"): a grid over its settings and a learning curve.

    python bench/tune_expansion.py ../shared/eval/needs-dev var/eval-cache

Runs the product's `pipeline.expanded_search` on the real engine (int8 vectors, the product's fusion) over cached
passage embeddings (`eval-search --cache` writes them). Prints the grid (nDCG@10, MRR@10, Recall@100 on all
queries), then a learning curve: settings chosen on a random part of the queries (best Recall@100, ties to the
smaller change) and measured on the rest, 50 random splits per size, medians.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
from pathlib import Path

from devset import load_engine
from search_quality import metrics

from lotsenhaus.matching.encoders import get_encoder
from lotsenhaus.matching.pipeline import EXPANSION, Expansion, expanded_search, prepare_query

GRID = [
    Expansion(feedback=f, terms=t, weight=w)
    for f, t, w in itertools.product((5, 10), (10, 20, 40), (1.0, 2.0, 3.0, 4.0))
]


def main(folder: str, cache_dir: str) -> None:
    engine, analysed, queries, qrels = load_engine(Path(folder), cache_dir)
    encoder = get_encoder()
    prepared = [(q["query_id"], *prepare_query(q["text"], encoder)) for q in queries]

    def run_of(settings: Expansion | None) -> dict[str, list[str]]:
        run = {}
        for qid, terms, vector, language, translated in prepared:
            if settings is None:
                hits = engine.search(terms, vector, k=100, language=language, translated=translated)
            else:
                hits = expanded_search(
                    engine,
                    terms,
                    vector,
                    terms_of=lambda keys: [analysed[k] for k in keys],
                    k=100,
                    language=language,
                    settings=settings,
                    translated=translated,
                ).hits
            run[qid] = [h.key for h in hits]
        return run

    def show(label: str, m: dict[str, float]) -> None:
        print(f"{label:44} nDCG@10 {m['nDCG@10']:.4f}  MRR@10 {m['MRR@10']:.4f}  Recall@100 {m['Recall@100']:.4f}")

    runs: dict[Expansion | None, dict[str, list[str]]] = {None: run_of(None)}
    show("without expansion", metrics(runs[None], qrels))
    for settings in GRID:
        runs[settings] = run_of(settings)
        mark = " (default)" if settings == EXPANSION else ""
        label = f"feedback {settings.feedback} terms {settings.terms} weight {settings.weight}"
        show(label + mark, metrics(runs[settings], qrels))

    def recall(settings: Expansion | None, qids: list[str]) -> float:
        return metrics({q: runs[settings][q] for q in qids}, {q: qrels[q] for q in qids})["Recall@100"]

    ids = sorted(qrels)
    rng = random.Random(7)  # noqa: S311 - reproducible splits, not secrets
    print("\nlearning curve (held-out Recall@100, median of 50 splits; without expansion on the same queries)")
    for size in (6, 12, 18, 24):
        gains, held, plain = [], [], []
        for _ in range(50):
            train = rng.sample(ids, size)
            test = [q for q in ids if q not in train]
            best = max(GRID, key=lambda s: (recall(s, train), -s.terms, -s.weight))
            held.append(recall(best, test))
            plain.append(recall(None, test))
            gains.append(held[-1] - plain[-1])
        print(
            f"  chosen on {size:2} queries, measured on {len(ids) - size:2}: {statistics.median(held):.4f} "
            f"(without {statistics.median(plain):.4f}; gain {statistics.median(gains):+.4f}, "
            f"worst split {min(gains):+.4f})"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
