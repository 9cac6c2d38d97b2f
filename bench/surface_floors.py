"""Calibrate the relevance floor of the two matching surfaces on needs-dev (30 German needs, 1,964 English cases).

    python bench/surface_floors.py ../shared/eval/needs-dev var/eval-cache [RANDOM_CASES]

1. "Passende Lösungen" (need → solutions): the ten hits shown for each need, ranked by the product's
   `expanded_search`; for candidate floors (cosine margin over the median of the need's semantic candidates) the
   share of judged-relevant shown hits kept and of the others collapsed, and the precision on both sides.
2. The weekly digest (a startup's solution → newly published needs): cosine of each case embedded as a query
   against each need embedded as a passage, the direction `needs_for_startup` asks in. Every judged-relevant case
   and RANDOM_CASES others (default 300) are embedded; the others stand for the rest of the corpus when the
   precision a digest would have is estimated (each weighs as many cases as it represents).

Judgements are sparse (a shown hit without a judgement may still be relevant), so every precision here is a lower
bound. Needs the passage embeddings of needs-dev in the cache (`eval-search --cache`).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from devset import load_engine

from lotsenhaus.matching.encoders import get_encoder
from lotsenhaus.matching.pipeline import expanded_search, passage_text, prepare_query
from lotsenhaus.matching.selectors import candidate_median


def matching_solutions(folder: Path, cache_dir: str) -> None:
    engine, analysed, queries, qrels = load_engine(folder, cache_dir)
    encoder = get_encoder()
    # Per shown hit: judged relevant, margin of its cosine over the need's median (None: not among the semantic
    # candidates), its rank by words (None: not found by words).
    shown: list[tuple[bool, float | None, int | None]] = []
    for query in queries:
        terms, vector, language, translated = prepare_query(query["text"], encoder)
        hits = expanded_search(
            engine,
            terms,
            vector,
            terms_of=lambda keys: [analysed[k] for k in keys],
            k=200,
            language=language,
            translated=translated,
        ).hits
        median = candidate_median(hits) or 0.0  # the product's floor is measured from the same median
        judged = qrels.get(query["query_id"], {})
        for hit in hits[:10]:
            margin = hit.semantic_score - median if hit.semantic_rank is not None else None
            shown.append((judged.get(hit.key, 0) > 0, margin, hit.lexical_rank))
    relevant = [m for r, m, _w in shown if r]
    other = [m for r, m, _w in shown if not r]
    print(f"Passende Lösungen: {len(queries)} needs, {len(shown)} hits shown, {len(relevant)} judged relevant")
    rel_median = statistics.median(m for m in relevant if m is not None)
    other_median = statistics.median(m for m in other if m is not None)
    print(f"  margin over the need's median: relevant median {rel_median:.3f}, others median {other_median:.3f}")
    # Kept whatever its margin: no hit by words (margin alone), one among the first 3, 5 or 10 by words (the
    # need's words and, with the dictionary, their English: selectors.MATCH_WORD_RANK), or any found by words.
    for word_rank in (0, 3, 5, 10, 10**6):
        if not word_rank:
            print("  by the margin alone:")
        else:
            print(
                f"  and hits among the first {word_rank} by words:"
                if word_rank < 10**6
                else "  and every hit by words:"
            )
        for floor in (0.0, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04):
            keeps = [(m is not None and m >= floor) or (w is not None and w <= word_rank) for _r, m, w in shown]
            kept = [r for (r, _m, _w), keep in zip(shown, keeps, strict=True) if keep]
            cut = [r for (r, _m, _w), keep in zip(shown, keeps, strict=True) if not keep]
            print(
                f"    margin {floor:.3f}: relevant kept {sum(kept) / max(1, len(relevant)):.1%}, others collapsed "
                f"{(len(cut) - sum(cut)) / max(1, len(other)):.1%}; precision shown {sum(kept) / max(1, len(kept)):.1%}"
                f", collapsed {sum(cut) / max(1, len(cut)):.1%} ({len(kept) / len(queries):.1f} shown per need)"
            )


def digest(folder: Path, n_random: int) -> None:
    corpus = {d["doc_id"]: d for d in map(json.loads, (folder / "corpus.jsonl").open(encoding="utf-8"))}
    needs = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
    relevant_pairs = set()
    for line in (folder / "qrels.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if int(row["relevance"]) > 0:
            relevant_pairs.add((row["doc_id"], row["query_id"]))
    judged_cases = sorted({d for d, _q in relevant_pairs if d in corpus})
    rng = random.Random(7)  # noqa: S311 - a reproducible sample, not a secret
    others = rng.sample(sorted(set(corpus) - set(judged_cases)), n_random)
    weight = (len(corpus) - len(judged_cases)) / n_random
    cases = judged_cases + others
    encoder = get_encoder()
    solutions = encoder.queries([passage_text(corpus[c].get("title") or "", corpus[c]["text"]) for c in cases])
    need_vectors = encoder.passages([passage_text("", n["text"]) for n in needs])
    solutions /= np.linalg.norm(solutions, axis=1, keepdims=True)
    need_vectors /= np.linalg.norm(need_vectors, axis=1, keepdims=True)
    sims = solutions @ need_vectors.T
    # The same pairs scored two ways: the cosine itself, and its margin over the median of the solution's cosines
    # to all needs (travels between languages: German solutions score higher against German needs throughout).
    medians = np.median(sims, axis=1)
    weight_of = {case: weight if case in others else 1.0 for case in cases}

    def pairs(score: Callable[[int, int], float]) -> tuple[list[float], list[tuple[float, float]]]:
        rel, unrel = [], []  # relevant scores; (score, weight) of the others
        for i, case in enumerate(cases):
            for j, need in enumerate(needs):
                if (case, need["query_id"]) in relevant_pairs:
                    rel.append(score(i, j))
                else:
                    unrel.append((score(i, j), weight_of[case]))
        return rel, unrel

    def bars(label: str, bars: tuple[float, ...], rel: list[float], unrel: list[tuple[float, float]]) -> None:
        total = sum(w for _v, w in unrel)
        for bar in bars:
            kept = sum(v >= bar for v in rel)
            noise = sum(w for v, w in unrel if v >= bar)
            print(
                f"  {label} {bar:.2f}: relevant kept {kept / len(rel):.1%}, unrelated dropped "
                f"{1 - noise / total:.2%}, estimated precision of a digest {kept / max(kept + noise, 1e-9):.1%}"
            )

    rel, unrel = pairs(lambda i, j: float(sims[i, j]))
    print(f"\nDigest: {len(cases)} cases as solutions x {len(needs)} needs, {len(rel)} relevant pairs")
    print(
        f"  cosine: relevant median {statistics.median(rel):.3f}, p10 {np.percentile(rel, 10):.3f}; "
        f"unrelated median {statistics.median(v for v, _w in unrel):.3f}, "
        f"p99 {np.percentile([v for v, _w in unrel], 99):.3f}"
    )
    bars("floor", (0.78, 0.80, 0.82, 0.83, 0.84, 0.85), rel, unrel)
    bars(
        "margin over the solution's median",
        (0.02, 0.03, 0.04, 0.05, 0.06, 0.07),
        *pairs(lambda i, j: float(sims[i, j] - medians[i])),
    )


if __name__ == "__main__":
    root = Path(sys.argv[1])
    matching_solutions(root, sys.argv[2])
    digest(root, int(sys.argv[3]) if len(sys.argv) > 3 else 300)
