"""nDCG@10, MRR@10 and Recall@100 of a TREC run against graded qrels (JSONL: query_id, doc_id, relevance).

    python bench/search_quality.py RUN.tsv QRELS.jsonl

MRR counts the first document with relevance >= 1; nDCG uses graded gains (2^rel - 1, log2 discount) against
the ideal ranking of all judged documents; a query with nothing relevant in the run scores 0.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict


def read_run(path: str) -> dict[str, list[str]]:
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 6:
                ranked[parts[0]].append((int(parts[3]), parts[2]))
    return {q: [d for _r, d in sorted(rows)] for q, rows in ranked.items()}


def read_qrels(path: str) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                qrels[str(row["query_id"])][str(row["doc_id"])] = int(row["relevance"])
    return qrels


def metrics(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    ndcg = mrr = recall = 0.0
    for query, judged in qrels.items():
        ranked = run.get(query, [])
        gains = [(2 ** judged.get(doc, 0) - 1) for doc in ranked[:10]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((2**r - 1 for r in judged.values()), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg += dcg / idcg if idcg else 0.0
        mrr += next((1.0 / (i + 1) for i, doc in enumerate(ranked[:10]) if judged.get(doc, 0) > 0), 0.0)
        relevant = {d for d, r in judged.items() if r > 0}
        recall += len(relevant & set(ranked[:100])) / len(relevant) if relevant else 0.0
    n = len(qrels) or 1
    return {"nDCG@10": ndcg / n, "MRR@10": mrr / n, "Recall@100": recall / n, "queries": float(len(qrels))}


def main(run_path: str, qrels_path: str) -> None:
    result = metrics(read_run(run_path), read_qrels(qrels_path))
    print(
        f"{run_path}: nDCG@10 {result['nDCG@10']:.4f}  MRR@10 {result['MRR@10']:.4f}  "
        f"Recall@100 {result['Recall@100']:.4f}  ({int(result['queries'])} queries)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
