"""The weight of the lexical half across languages when a German query carries its words' English
(matching/translation.py), chosen on a development set, with a learning curve (uses cached passage embeddings).

    python bench/tune_translation.py ../shared/eval/needs-dev var/eval-cache [--splits 50]

Prints nDCG@10, MRR@10 and Recall@100 of the hybrid ranking and of "Passende Lösungen" (with the query
expansion) for each weight, without the translation (the dictionary switched off) and with it; then the learning
curve: the weight chosen on a random part of the queries (best nDCG@10), measured on the others.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from pathlib import Path

from devset import load_engine
from search_quality import metrics

from lotsenhaus.matching import translation
from lotsenhaus.matching.encoders import get_encoder
from lotsenhaus.matching.engine import Tuning
from lotsenhaus.matching.pipeline import expanded_search, prepare_query

WEIGHTS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("cache")
    parser.add_argument("--splits", type=int, default=50)
    args = parser.parse_args()
    engine, analysed, queries, qrels = load_engine(Path(args.folder), args.cache)
    encoder = get_encoder()
    installed = translation.source()
    os.environ["LOTSENHAUS_DICTIONARY"] = "/nonexistent/freedict-deu-eng"  # the same install without dictionary
    translation.forget()
    plain = {q["query_id"]: prepare_query(q["text"], encoder) for q in queries}
    os.environ["LOTSENHAUS_DICTIONARY"] = str(installed)
    translation.forget()
    translated = {q["query_id"]: prepare_query(q["text"], encoder) for q in queries}
    print(f"dictionary: {translation.source()} ({'found' if translation.available() else 'NOT installed'})")
    print(f"queries translated: {sum(p.translated for p in translated.values())} of {len(queries)}")

    def runs(prepared: dict, weight: float) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        engine.tuning = Tuning(translated_lexical_weight=weight)
        hybrid, expanded = {}, {}
        for qid, p in prepared.items():
            hybrid[qid] = [
                h.key for h in engine.search(p.terms, p.vector, k=100, language=p.language, translated=p.translated)
            ]
            expanded[qid] = [
                h.key
                for h in expanded_search(
                    engine,
                    p.terms,
                    p.vector,
                    terms_of=lambda keys: [analysed[k] for k in keys],
                    k=100,
                    language=p.language,
                    translated=p.translated,
                ).hits
            ]
        return hybrid, expanded

    def line(label: str, run: dict[str, list[str]], judged: dict) -> str:
        m = metrics(run, judged)
        return f"{label:42} nDCG@10 {m['nDCG@10']:.4f}  MRR@10 {m['MRR@10']:.4f}  Recall@100 {m['Recall@100']:.4f}"

    hybrid, expanded = runs(plain, Tuning().cross_language_lexical_weight)
    print(line("without dictionary: hybrid", hybrid, qrels))
    print(line("without dictionary: Passende Lösungen", expanded, qrels))
    per_weight = {}
    for weight in WEIGHTS:
        per_weight[weight] = runs(translated, weight)
        print(line(f"with dictionary, weight {weight}: hybrid", per_weight[weight][0], qrels))
        print(line(f"with dictionary, weight {weight}: Passende Lösungen", per_weight[weight][1], qrels))

    ids = sorted(qrels)
    rng = random.Random(21)  # noqa: S311 - splits of a development set
    print("\nlearning curve (Passende Lösungen; weight chosen on the first part by nDCG@10, measured on the rest)")
    print("chosen on | measured on | weight chosen (median) | nDCG@10 | Recall@100 | nDCG@10 without dictionary")
    for size in (6, 12, 18, 24):
        chosen, ndcg, recall, before = [], [], [], []
        for _ in range(args.splits):
            train = set(rng.sample(ids, size))
            test = {q: qrels[q] for q in ids if q not in train}
            tuned = {q: qrels[q] for q in train}
            best = max(WEIGHTS, key=lambda w: (metrics(per_weight[w][1], tuned)["nDCG@10"], -w))
            m = metrics(per_weight[best][1], test)
            chosen.append(best)
            ndcg.append(m["nDCG@10"])
            recall.append(m["Recall@100"])
            before.append(metrics(expanded, test)["nDCG@10"])
        print(
            f"{size:9} | {len(ids) - size:11} | {statistics.median(chosen):22} | {statistics.median(ndcg):.3f} "
            f"(worst {min(ndcg):.3f}) | {statistics.median(recall):.3f} | {statistics.median(before):.3f}"
        )


if __name__ == "__main__":
    main()
