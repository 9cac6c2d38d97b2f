"""Grid over the fusion parameters on a development set (uses cached passage embeddings; no model run needed).

    python bench/tune_fusion.py ../shared/eval/needs-dev var/eval-cache

Prints nDCG@10, MRR@10, Recall@100 for each setting so that the defaults in engine.Tuning can be chosen on data.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from search_quality import metrics, read_qrels  # noqa: E402

from lotsenhaus.matching.encoders import DirectoryCache, get_encoder, text_hash  # noqa: E402
from lotsenhaus.matching.engine import Engine, Facets, Tuning  # noqa: E402
from lotsenhaus.matching.pipeline import document_terms, passage_text, prepare_query  # noqa: E402


def main(folder: str, cache_dir: str) -> None:
    root = Path(folder)
    corpus = [json.loads(line) for line in (root / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (root / "queries.jsonl").open(encoding="utf-8")]
    qrels = read_qrels(str(root / "qrels.jsonl"))
    encoder = get_encoder()
    cache = DirectoryCache(Path(cache_dir), encoder)
    engine = Engine(dim=encoder.dim, center=encoder.center)
    for doc in corpus:
        language, terms = document_terms(doc.get("title") or "", doc["text"])
        engine.add(doc["doc_id"], terms, Facets(language=language))
        vector = cache.get(text_hash(encoder.model_id, passage_text(doc.get("title") or "", doc["text"])))
        if vector is None:
            sys.exit(f"missing embedding for {doc['doc_id']}: run eval-search with --cache first")
        engine.set_vector(doc["doc_id"], vector)
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
            qid: [h.key for h in engine.search(t, v, k=100, mode=mode, language=lang)] for qid, t, v, lang in prepared
        }
        m = metrics(run, qrels)
        label = (
            f"{mode:8} {tuning.fusion:8} w={tuning.lexical_weight:.1f} "
            f"cross={tuning.cross_language_lexical_weight:.1f} rrf_k={tuning.rrf_k}"
        )
        print(f"{label}  nDCG@10 {m['nDCG@10']:.4f}  MRR@10 {m['MRR@10']:.4f}  Recall@100 {m['Recall@100']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
