"""A development set (corpus, queries, graded judgements) in the product's engine, for the matching benchmarks.

Passage embeddings come from the cache `eval-search --cache DIR` fills; Django is set up on import.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsenhaus.settings.base")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

from search_quality import read_qrels  # noqa: E402

from lotsenhaus.matching.encoders import DirectoryCache, get_encoder, text_hash  # noqa: E402
from lotsenhaus.matching.engine import Engine, Facets  # noqa: E402
from lotsenhaus.matching.pipeline import document_terms, passage_text  # noqa: E402


def load_engine(
    folder: Path, cache_dir: str
) -> tuple[Engine, dict[str, Counter[str]], list[dict[str, str]], dict[str, dict[str, int]]]:
    """The product's engine over a development set with cached passage embeddings; terms per document."""
    corpus = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
    qrels = read_qrels(str(folder / "qrels.jsonl"))
    encoder = get_encoder()
    cache = DirectoryCache(Path(cache_dir), encoder)
    engine = Engine(dim=encoder.dim, center=encoder.center)
    analysed: dict[str, Counter[str]] = {}
    for doc in corpus:
        language, terms = document_terms(doc.get("title") or "", doc["text"])
        engine.add(doc["doc_id"], terms, Facets(language=language))
        analysed[doc["doc_id"]] = terms
        vector = cache.get(text_hash(encoder.model_id, passage_text(doc.get("title") or "", doc["text"])))
        if vector is None:
            sys.exit(f"missing embedding for {doc['doc_id']}: run eval-search with --cache first")
        engine.set_vector(doc["doc_id"], vector)
    return engine, analysed, queries, qrels
