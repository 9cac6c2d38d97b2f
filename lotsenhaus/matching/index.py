"""The in-memory copy of the search index each process keeps, following the database.

A search first asks the database for the newest `updated_at` (one indexed query). When it moved, the rows changed
since (minus a safety window for transactions that committed late) are applied: replaced, removed or given their
new embedding. When the newest time went backwards (a restore, a rolled-back test) the copy is rebuilt.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max

from lotsenhaus.matching.encoders import default_encoder
from lotsenhaus.matching.engine import Engine, Facets, Tuning
from lotsenhaus.matching.models import SearchDocument

WINDOW = timedelta(minutes=5)
CHUNK = 2000


def facets_of(kind: str, data: dict[str, Any], language: str = "de") -> Facets:
    budget = data.get("budget")
    return Facets(
        kind=kind,
        public=bool(data.get("public")),
        organisation=int(data.get("organisation") or -1),
        maturity=int(data.get("maturity", -1)),
        hosting=int(data.get("hosting") or 0),
        deployment=int(data.get("deployment") or 0),
        certifications=int(data.get("certifications") or 0),
        budget=float(budget) if budget is not None else math.nan,
        boost=bool(data.get("boost")),
        language=language,
    )


def vector_of(raw: Any, dim: int) -> np.ndarray | None:
    if raw is None:
        return None
    vector = np.frombuffer(bytes(raw), dtype=np.float32)
    return vector if vector.shape == (dim,) else None


def release_free_memory() -> None:
    """Give the heap left over from parsing 100k rows back to the system (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def new_engine() -> Engine:
    encoder = default_encoder()
    return Engine(
        dim=encoder.dim, tuning=Tuning(**getattr(settings, "LOTSENHAUS_SEARCH_TUNING", {})), center=encoder.center
    )


class LiveIndex:
    def __init__(self) -> None:
        self.engine = new_engine()
        self.seen: datetime | None = None
        self.stamps: dict[str, datetime] = {}
        self.lock = threading.Lock()

    def refresh(self) -> None:
        latest = SearchDocument.objects.aggregate(latest=Max("updated_at"))["latest"]
        with self.lock:
            if self.seen is not None and (latest is None or latest < self.seen):
                self._reset()
            if latest is None or latest == self.seen:
                return
            self._load(since=self.seen - WINDOW if self.seen is not None else None)
            if self.engine.dead > max(2000, len(self.engine) // 3):
                self._reset()
                self._load(since=None)
            self.seen = latest

    def _load(self, since: datetime | None) -> None:
        rows = SearchDocument.objects.values_list(
            "key",
            "kind",
            "language",
            "terms",
            "facets",
            "embedding",
            "embedding_hash",
            "content_hash",
            "deleted",
            "updated_at",
        )
        if since is not None:
            # First only keys and times (cheap even right after a bulk rebuild), then the changed rows.
            recent = SearchDocument.objects.filter(updated_at__gte=since).values_list("key", "updated_at")
            changed = [key for key, stamp in recent.iterator(chunk_size=CHUNK) if self.stamps.get(key) != stamp]
            for start in range(0, len(changed), 500):
                self._apply(rows.filter(key__in=changed[start : start + 500]))
            return
        rows = rows.filter(deleted=False)
        self.engine.reserve(rows.count() + 1024)
        self._apply(rows)
        release_free_memory()

    def _apply(self, rows: Any) -> None:
        for (
            key,
            kind,
            language,
            terms,
            facets,
            embedding,
            embedding_hash,
            content_hash,
            deleted,
            stamp,
        ) in rows.iterator(chunk_size=CHUNK):
            if self.stamps.get(key) == stamp:
                continue
            self.stamps[key] = stamp
            if deleted:
                self.engine.remove(key)
                continue
            vector = vector_of(embedding, self.engine.dim) if embedding_hash == content_hash else None
            self.engine.add(key, Counter(terms), facets_of(kind, facets, language), vector)

    def _reset(self) -> None:
        self.engine = new_engine()
        self.seen = None
        self.stamps = {}


_live: LiveIndex | None = None
_live_lock = threading.Lock()


def live_index() -> LiveIndex:
    """The process's index, brought up to date."""
    global _live
    with _live_lock:
        if _live is None:
            _live = LiveIndex()
    _live.refresh()
    return _live


def forget() -> None:
    """Drop the process's copy (tests; after a restore)."""
    global _live
    with _live_lock:
        _live = None
