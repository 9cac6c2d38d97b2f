"""The in-memory copy of the search index each process keeps, following the database.

A search first asks the database for the newest `updated_at` (one indexed query). When it moved, the rows changed
since are applied: replaced, removed or given their new embedding. A row is stamped when it is written, not when
its transaction commits, so a row may appear with a stamp older than one already seen (a *late commit*): every
refresh looks back `RECENT` for the transactions of requests, and at most every `SWEEP_SECONDS` a refresh checks
the whole `WINDOW` for long ones (an import's slice) – first by the count and the sum of the rows' revisions in it
(one aggregate), and only when those differ from the copy's own does it read the window's keys. Reading the
window's keys on every search cost 0.6 s (SQLite) to 1.9 s (PostgreSQL) per search for five minutes after a bulk
change of 100,000 documents (issue 22). A change larger than a third of the index is loaded afresh rather than
row by row. When the newest time went backwards (a restore, a
rolled-back test) the copy is rebuilt.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Sum

from lotsenhaus.matching.encoders import default_encoder
from lotsenhaus.matching.engine import Engine, Facets, Tuning
from lotsenhaus.matching.models import SearchDocument

RECENT = timedelta(seconds=10)
WINDOW = timedelta(minutes=5)
SWEEP_SECONDS = 30.0
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
        self.stamps: dict[str, tuple[datetime, int]] = {}  # key → (updated_at, revision) as applied
        self.swept = time.monotonic()
        self.lock = threading.Lock()

    def refresh(self) -> None:
        latest = SearchDocument.objects.aggregate(latest=Max("updated_at"))["latest"]
        with self.lock:
            if self.seen is not None and (latest is None or latest < self.seen):
                self._reset()
            sweep = time.monotonic() - self.swept >= SWEEP_SECONDS
            if latest is None or (latest == self.seen and not sweep):
                return
            if self.seen is None:
                self._load(since=None)
            else:
                self._load(since=self.seen - RECENT)
                if sweep and self.seen is not None:  # (None: the change was loaded afresh)
                    self.swept = time.monotonic()
                    if self._window_differs(self.seen - WINDOW, latest):
                        self._load(since=self.seen - WINDOW)
            if self.engine.dead > self._dead_limit():
                self._reset()
                self._load(since=None)
            self.seen = latest

    def _window_differs(self, since: datetime, until: datetime) -> bool:
        """Whether the database holds rows stamped in this window that the copy has not applied: a row that committed
        late adds to the count (new in the window) or to the sum of revisions (changed again within it)."""
        there = SearchDocument.objects.filter(updated_at__gte=since, updated_at__lte=until).aggregate(
            count=Count("pk"), revisions=Sum("revision")
        )
        count = revisions = 0
        for stamp, revision in self.stamps.values():
            if since <= stamp <= until:
                count += 1
                revisions += revision
        return (there["count"], there["revisions"] or 0) != (count, revisions)

    def _dead_limit(self) -> int:
        return max(2000, len(self.engine) // 3)

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
            "revision",
        )
        if since is not None:
            # First only keys and times (cheap even right after a bulk rebuild), then the changed rows.
            recent = SearchDocument.objects.filter(updated_at__gte=since).values_list("key", "updated_at", "revision")
            changed = [
                key
                for key, stamp, revision in recent.iterator(chunk_size=CHUNK)
                if self.stamps.get(key) != (stamp, revision)
            ]
            if len(changed) > self._dead_limit():
                # A bulk change (a seeding, an import of the whole world): loading afresh is several times
                # faster than replacing each document.
                self._reset()
                self._load(since=None)
                return
            for start in range(0, len(changed), 500):
                self._apply(rows.filter(key__in=changed[start : start + 500]))
            return
        # Tombstones are read too (their stamps only), so that the window's count and sum match the database's.
        self.engine.reserve(SearchDocument.objects.filter(deleted=False).count() + 1024)
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
            revision,
        ) in rows.iterator(chunk_size=CHUNK):
            if self.stamps.get(key) == (stamp, revision):
                continue
            self.stamps[key] = (stamp, revision)
            if deleted:
                self.engine.remove(key)
                continue
            vector = vector_of(embedding, self.engine.dim) if embedding_hash == content_hash else None
            self.engine.add(key, Counter(terms), facets_of(kind, facets, language), vector)

    def _reset(self) -> None:
        self.engine = new_engine()
        self.seen = None
        self.stamps = {}
        self.swept = time.monotonic()


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
