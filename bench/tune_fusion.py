"""Grid over the fusion parameters on a development set (uses cached passage embeddings; no model run needed).

    python bench/tune_fusion.py ../shared/eval/needs-dev var/eval-cache

Prints nDCG@10, MRR@10, Recall@100 for each setting so that the defaults in engine.Tuning can be chosen on data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from devset import load_engine
from search_quality import metrics

from lotsenhaus.matching.encoders import get_encoder
from lotsenhaus.matching.engine import Tuning
from lotsenhaus.matching.pipeline import prepare_query


def main(folder: str, cache_dir: str) -> None:
    engine, _analysed, queries, qrels = load_engine(Path(folder), cache_dir)
    encoder = get_encoder()
    prepared = [(q["query_id"], *prepare_query(q["text"], encoder)) for q in queries]
    settings = [("lexical", Tuning()), ("semantic", Tuning())]
    settings += [("hybrid", Tuning(fusion="rrf", rrf_k=k)) for k in (10, 30, 60)]
    settings += [
        ("hybrid", Tuning(lexical_weight=w / 10, cross_language_lexical_weight=c / 10))
        for w in range(3, 8)
        for c in range(1, 5)
    ]
    for mode, tuning in settings:
        engine.tuning = tuning
        run = {
            qid: [h.key for h in engine.search(t, v, k=100, mode=mode, language=lang, translated=tr)]
            for qid, t, v, lang, tr in prepared
        }
        m = metrics(run, qrels)
        label = (
            f"{mode:8} {tuning.fusion:8} w={tuning.lexical_weight:.1f} "
            f"cross={tuning.cross_language_lexical_weight:.1f} rrf_k={tuning.rrf_k}"
        )
        print(f"{label}  nDCG@10 {m['nDCG@10']:.4f}  MRR@10 {m['MRR@10']:.4f}  Recall@100 {m['Recall@100']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
