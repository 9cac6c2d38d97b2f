"""The in-memory copy of the search index each process keeps, following the database.

A search first asks the database for the newest `updated_at` (one indexed query). When it moved, the rows changed
since are applied: replaced, removed or given their new embedding. A change is recognised by the row's `revision`,
which every write raises. A row is stamped when it is written, not when its transaction commits, so a row may
appear with a stamp older than one already seen (a *late commit*): every refresh looks back `RECENT` for the
transactions of requests, and every 15–45 s (spread, so that workers forked together do not sweep together) a
refresh checks the last `WINDOW` for long ones (an import's slice) – by the count and the sum of revisions of the
rows in it against the copy's own per-second tally (one aggregate), and reads only the seconds that differ. The
reads of one refresh come from one snapshot, so that rows changing meanwhile do not look late. (Reading the
window's keys on every search had cost 0.6 s on SQLite and 1.9 s on PostgreSQL per search for five minutes after a
bulk change of 100,000 documents; issue 22, docs/trust.md.) A change larger than a third of the index is loaded
afresh rather than row by row; a full load leaves the arrays room for a quarter more documents, since growing them
copies them. When the newest time went backwards (a restore, a rolled-back test) the copy is rebuilt.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncSecond

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


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """The reads of one refresh from one snapshot of the database, so that the sweep's counts and the rows read
    before it agree even while documents keep changing (otherwise a row that moved on between two of the reads
    looks late). SQLite's read transactions are snapshots; PostgreSQL's need REPEATABLE READ. Inside a transaction
    of the caller's (tests) the reads take what that transaction sees."""
    connection = connections[router.db_for_read(SearchDocument)]
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


class LiveIndex:
    def __init__(self) -> None:
        self.engine = new_engine()
        self.seen: datetime | None = None
        self.stamps: dict[str, tuple[datetime, int]] = {}  # key → (updated_at, revision) as applied
        # Per second of `updated_at` (epoch seconds): how many rows the copy holds stamped then and the sum of their
        # revisions – kept as rows are applied, so that a sweep adds up a few hundred seconds, not every row.
        self.tally: dict[int, tuple[int, int]] = {}
        self.next_sweep = time.monotonic() + SWEEP_SECONDS
        self.lock = threading.Lock()

    def refresh(self) -> None:
        latest = self._latest()
        with self.lock:
            sweep = time.monotonic() >= self.next_sweep
            if latest == self.seen and not sweep:
                return
            with one_snapshot():
                self._catch_up(self._latest(), sweep=sweep)

    def _latest(self) -> datetime | None:
        latest: datetime | None = SearchDocument.objects.aggregate(latest=Max("updated_at"))["latest"]
        return latest

    def _catch_up(self, latest: datetime | None, *, sweep: bool) -> None:
        if self.seen is not None and (latest is None or latest < self.seen):
            self._reset()
        if latest is None:
            return
        if self.seen is None:
            self._load_all()
        else:
            # Rows newer than the newest seen, and rows of the last seconds that committed late. The rows stamped
            # exactly `seen` were read with it (one transaction's rows commit together) – after a bulk change that
            # is the whole index, which must not be read again.
            recent = SearchDocument.objects.filter(updated_at__gte=self.seen - RECENT).exclude(updated_at=self.seen)
            self._load_changed(recent)
            if sweep and self.seen is not None:  # (None: the change was loaded afresh)
                # Spread over time, so that the workers forked together do not sweep together.
                self.next_sweep = time.monotonic() + SWEEP_SECONDS * random.uniform(0.5, 1.5)  # noqa: S311
                late = self._late_seconds(self.seen - WINDOW)
                for start in range(0, len(late), 50):
                    ranges = Q()
                    for second in late[start : start + 50]:
                        ranges |= Q(updated_at__gte=second, updated_at__lt=second + timedelta(seconds=1))
                    self._load_changed(SearchDocument.objects.filter(ranges))
        if self.engine.dead > self._dead_limit():
            self._reset()
            self._load_all()
        self.seen = latest

    def _late_seconds(self, since: datetime) -> list[datetime]:
        """The seconds since ``since`` in which the database holds rows the copy has not applied. A row that committed
        late adds to the window's count (new in it) or to its sum of revisions (changed again within it); one
        aggregate answers whether anything is late, a second one per second of the window where. (Within one
        snapshot no row is newer than the newest seen, so the window needs no end.)"""
        first = int(since.timestamp())
        for second in [second for second in self.tally if second < first - 60]:
            del self.tally[second]  # long out of every window (a row stamped then, changed later, is skipped)
        held = [self.tally[second] for second in self.tally if second >= first]
        window = SearchDocument.objects.filter(updated_at__gte=datetime.fromtimestamp(first, tz=UTC))
        there = window.aggregate(count=Count("pk"), revisions=Sum("revision"))
        if (there["count"], there["revisions"] or 0) == (sum(c for c, _ in held), sum(r for _, r in held)):
            return []
        by_second = (
            window.annotate(second=TruncSecond("updated_at"))
            .values("second")
            .annotate(count=Count("pk"), revisions=Sum("revision"))
        )
        return [
            row["second"]
            for row in by_second
            if (row["count"], row["revisions"]) != self.tally.get(int(row["second"].timestamp()), (0, 0))
        ]

    def _dead_limit(self) -> int:
        return max(2000, len(self.engine) // 3)

    def _rows(self) -> Any:
        return SearchDocument.objects.values_list(
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

    def _load_changed(self, candidates: Any) -> None:
        """Apply those of the candidate rows the copy does not hold as they are: first only their keys and revisions
        (a revision changes with every write; reading the stamps too took four times as long), then the changed
        rows whole."""
        keys = candidates.values_list("key", "revision")
        changed = [
            key
            for key, revision in keys.iterator(chunk_size=CHUNK)
            if self.stamps.get(key, (None, None))[1] != revision
        ]
        if len(changed) > self._dead_limit():
            # A bulk change (a seeding, an import of the whole world): loading afresh is several times faster than
            # replacing each document.
            self._reset()
            self._load_all()
            return
        for start in range(0, len(changed), 500):
            self._apply(self._rows().filter(key__in=changed[start : start + 500]))

    def _load_all(self) -> None:
        # Room for a quarter more documents: growing the arrays copies them (at 270,000 documents the vectors alone
        # are 100 MB), in every worker at the same moment – a stall of a second when an import's first embeddings
        # arrived (issue 22). Tombstones are read too (their stamps only), so that a sweep's counts match.
        count = SearchDocument.objects.filter(deleted=False).count()
        self.engine.reserve(count + max(1024, count // 4))
        self._apply(self._rows())
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
            held = self.stamps.get(key)
            if held == (stamp, revision):
                continue
            if held is not None:
                self._count(held, -1)
            self.stamps[key] = (stamp, revision)
            self._count((stamp, revision), 1)
            if deleted:
                self.engine.remove(key)
                continue
            vector = vector_of(embedding, self.engine.dim) if embedding_hash == content_hash else None
            self.engine.add(key, Counter(terms), facets_of(kind, facets, language), vector)

    def _count(self, held: tuple[datetime, int], sign: int) -> None:
        second = int(held[0].timestamp())
        if sign < 0 and second not in self.tally:
            return  # a second long out of every window, already dropped
        count, revisions = self.tally.get(second, (0, 0))
        if count + sign:
            self.tally[second] = (count + sign, revisions + sign * held[1])
        else:
            self.tally.pop(second, None)

    def _reset(self) -> None:
        self.engine = new_engine()
        self.seen = None
        self.stamps = {}
        self.tally = {}
        self.next_sweep = time.monotonic() + SWEEP_SECONDS


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
