"""Rebuild the search index from every searchable object, then (unless --no-embed) embed what changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lotsenhaus.core.progress import Progress
from lotsenhaus.matching import selectors, services


class Command(BaseCommand):
    help = "Rebuild the search index (lexical at once, embeddings of changed texts afterwards) with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-embed", action="store_true", help="leave the embeddings to the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        bars: dict[str, Progress] = {}

        def progress(kind: str, done: int, total: int) -> None:
            bar = bars.setdefault(kind, Progress(total, f"Index {kind}", self.stderr))
            bar.advance(done - bar.done)

        counts = services.search_reindex(progress=progress)
        self.stdout.write("Lexikalischer Index: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if options["no_embed"]:
            return
        bar = Progress(selectors.index_status()["pending"], "Einbettungen", self.stderr)
        done = services.embeddings_compute(limit=10**9, on_batch=bar.advance)
        bar.finish()
        self.stdout.write(f"Einbettungen berechnet: {done}")
