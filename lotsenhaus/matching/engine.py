"""The search engine in process: BM25 over analysed terms, dense vectors, fusion, filters.

The same class serves the product (loaded from the database, kept current by `index.py`) and the benchmark
(`eval-search` builds a throw-away one), so what is measured is what runs. Memory is kept flat for 100k documents:
postings are typed arrays (6 bytes each), vectors one int8 matrix with a scale per row (a quarter of float32; mean
cosine error 0.0002, 98–99 % of the exact top 10 kept on the dev sets), sign bits for a binary pre-filter above
20,000 documents, facets one small column each.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

KINDS = ("need", "startup", "solution", "article")
MODES = ("hybrid", "lexical", "semantic")
LANGUAGES = ("de", "en")
MEDIAN_SAMPLE = 5000  # documents a semantic median is taken over at most
VECTOR_CHUNK = 1024  # rows converted to float32 at a time: 1.5 MB, stays in cache (4096 rows: 50 % slower)


@dataclass(frozen=True)
class Facets:
    """What filters and boosts need to know about a document, kept as columns."""

    kind: str = "solution"
    public: bool = True
    organisation: int = -1
    maturity: int = -1
    hosting: int = 0
    deployment: int = 0
    certifications: int = 0
    budget: float = math.nan
    boost: bool = False
    language: str = "de"


@dataclass(frozen=True)
class Filter:
    """Structured filters; bit masks match when any (hosting, deployment) or all (certifications) bits are set."""

    kinds: frozenset[str] = frozenset()
    exclude_organisation: int | None = None
    min_maturity: int | None = None
    hosting_any: int = 0
    deployment_any: int = 0
    certifications_all: int = 0
    max_budget: float | None = None
    keys_in: frozenset[str] | None = None
    visible_organisations: frozenset[int] | None = None
    unrestricted_kinds: frozenset[str] = frozenset()


@dataclass
class Hit:
    key: str
    score: float
    lexical_rank: int | None = None
    semantic_rank: int | None = None
    lexical_score: float = 0.0
    semantic_score: float = 0.0
    semantic_margin: float | None = None  # cosine minus the median of the filtered documents, where asked for

    @property
    def found_by(self) -> str:
        if self.lexical_rank is not None and self.semantic_rank is not None:
            return "both"
        return "lexical" if self.lexical_rank is not None else "semantic"


@dataclass
class Tuning:
    """Ranking parameters, tuned on the development sets (see docs/matching.md)."""

    k1: float = 1.2
    b: float = 0.75
    depth: int = 100
    lexical_weight: float = 0.5
    cross_language_lexical_weight: float = 0.3
    # Across languages when the query carries its words' translations (matching/translation.py): the lexical
    # half then finds English documents by their own words and weighs as much as across one language.
    translated_lexical_weight: float = 0.7  # bench/tune_translation.py
    boost: float = 0.05
    fusion: str = "weighted"
    rrf_k: int = 60
    prefilter_above: int = 20_000
    prefilter_keep: int = 2_000  # at least; a tenth of the documents are kept


def _grow(data: np.ndarray, rows: int, fill: float = 0) -> np.ndarray:
    """The array with at least `rows` rows (new rows filled); itself when it is long enough already."""
    if rows <= len(data):
        return data
    grown = np.full((rows, *data.shape[1:]), fill, dtype=data.dtype)
    grown[: len(data)] = data
    return grown


def _kind_table(kinds: frozenset[str]) -> np.ndarray:
    """A lookup table from kind code to "wanted": one indexing pass instead of a set test per document."""
    table = np.zeros(len(KINDS), dtype=bool)
    table[[KINDS.index(k) for k in kinds]] = True
    return table


def _room_for(slot: int, current: int) -> int:
    """Rows to grow to for a new slot: a quarter more, so appends stay cheap without doubling memory."""
    return max(slot + 1, int(current * 1.25) + 1024)


class _Column:
    def __init__(self, dtype: str, fill: float) -> None:
        self.data = np.full(1024, fill, dtype=dtype)
        self.fill = fill

    def reserve(self, n: int) -> None:
        self.data = _grow(self.data, n, self.fill)

    def head(self, n: int) -> np.ndarray:
        """The first ``n`` values. A column grows only when a slot is written, and documents without an
        embedding never write the vector columns: their rows read as the fill value."""
        if len(self.data) < n:
            self.reserve(n)
        return self.data[:n]

    def set(self, slot: int, value: float) -> None:
        if slot >= len(self.data):
            self.data = _grow(self.data, _room_for(slot, len(self.data)), self.fill)
        self.data[slot] = value


@dataclass
class Engine:
    dim: int = 384
    tuning: Tuning = field(default_factory=Tuning)
    center: np.ndarray | None = None  # the encoder's mean vector: sign bits are taken around it

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.keys: list[str] = []
        self.slot_of: dict[str, int] = {}
        self.postings: dict[str, tuple[array[int], array[int]]] = {}
        self.live = 0
        self.total_length = 0.0
        self.alive = _Column("bool", False)
        self.length = _Column("float32", 0.0)
        self.has_vector = _Column("bool", False)
        self.vectors = np.zeros((1024, self.dim), dtype=np.int8)
        self.scales = _Column("float32", 0.0)
        self.sign_bits = [_Column("uint64", 0) for _ in range(-(-self.dim // 64))]
        self.columns = {
            "kind": _Column("int8", -1),
            "public": _Column("bool", False),
            "organisation": _Column("int32", -1),
            "maturity": _Column("int8", -1),
            "hosting": _Column("uint8", 0),
            "deployment": _Column("uint8", 0),
            "certifications": _Column("uint8", 0),
            "budget": _Column("float32", math.nan),
            "boost": _Column("bool", False),
            "language": _Column("int8", 0),
        }

    # -- writing ---------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.live

    @property
    def dead(self) -> int:
        return len(self.keys) - self.live

    def add(self, key: str, terms: Counter[str], facets: Facets, vector: np.ndarray | None = None) -> None:
        """Add or replace a document; the old version's slot is marked dead (compacted by a rebuild)."""
        with self.lock:
            self.remove(key)
            slot = len(self.keys)
            self.keys.append(key)
            self.slot_of[key] = slot
            for term, tf in terms.items():
                entry = self.postings.get(term)
                if entry is None:
                    entry = self.postings[term] = (array("i"), array("H"))
                entry[0].append(slot)
                entry[1].append(min(int(tf), 65535))
            length = float(sum(terms.values()))
            self.length.set(slot, length)
            self.total_length += length
            self.alive.set(slot, True)
            self.live += 1
            for name, column in self.columns.items():
                value = getattr(facets, name)
                if name == "kind":
                    value = KINDS.index(value)
                elif name == "language":
                    value = LANGUAGES.index(value) if value in LANGUAGES else 0
                column.set(slot, value)
            self.has_vector.set(slot, False)
            if vector is not None:
                self.set_vector(key, vector)

    def remove(self, key: str) -> None:
        with self.lock:
            slot = self.slot_of.pop(key, None)
            if slot is None:
                return
            self.alive.data[slot] = False
            self.has_vector.data[slot] = False
            self.total_length -= float(self.length.data[slot])
            self.live -= 1

    def set_vector(self, key: str, vector: np.ndarray) -> None:
        with self.lock:
            slot = self.slot_of.get(key)
            if slot is None:
                return
            if slot >= len(self.vectors):
                self.vectors = _grow(self.vectors, _room_for(slot, len(self.vectors)))
            unit = np.asarray(vector, dtype=np.float32)
            unit = unit / (float(np.linalg.norm(unit)) or 1.0)
            scale = float(np.abs(unit).max()) / 127.0 or 1.0
            self.vectors[slot] = np.round(unit / scale).astype(np.int8)
            self.scales.set(slot, scale)
            for column, word in zip(self.sign_bits, self._sign_words(unit), strict=True):
                column.set(slot, int(word))
            self.has_vector.set(slot, True)

    def reserve(self, n: int) -> None:
        """Size the arrays for n documents at once (a full load), instead of doubling past them."""
        self.vectors = _grow(self.vectors, n)
        for column in [self.alive, self.length, self.has_vector, self.scales, *self.sign_bits, *self.columns.values()]:
            column.reserve(n)

    def document_frequency(self, term: str) -> int:
        """In how many documents a term occurs (replaced versions count until the next rebuild compacts them: cheap
        enough to ask for hundreds of terms per query, exact enough to tell a telling word from a common one)."""
        entry = self.postings.get(term)
        return len(entry[0]) if entry is not None else 0

    def vector_count(self) -> int:
        return int(self.has_vector.head(len(self.keys)).sum())

    # -- reading ---------------------------------------------------------------------------------------------

    def _mask(self, flt: Filter | None) -> np.ndarray:
        n = len(self.keys)
        mask = self.alive.data[:n].copy()
        if flt is None:
            return mask
        col = {name: c.data[:n] for name, c in self.columns.items()}
        if flt.kinds:
            mask &= _kind_table(flt.kinds)[col["kind"]]
        if flt.visible_organisations is not None:
            visible = col["public"] | _kind_table(flt.unrestricted_kinds)[col["kind"]]
            if flt.visible_organisations:
                visible |= np.isin(col["organisation"], list(flt.visible_organisations))
            mask &= visible
        if flt.exclude_organisation is not None:
            mask &= col["organisation"] != flt.exclude_organisation
        if flt.min_maturity is not None:
            mask &= col["maturity"] >= flt.min_maturity
        if flt.hosting_any:
            mask &= (col["hosting"] & flt.hosting_any) > 0
        if flt.deployment_any:
            mask &= (col["deployment"] & flt.deployment_any) > 0
        if flt.certifications_all:
            mask &= (col["certifications"] & flt.certifications_all) == flt.certifications_all
        if flt.max_budget is not None:
            mask &= ~(col["budget"] > flt.max_budget)
        if flt.keys_in is not None:
            allowed = np.zeros(n, dtype=bool)
            slots = [self.slot_of[k] for k in flt.keys_in if k in self.slot_of]
            allowed[slots] = True
            mask &= allowed
        return mask

    def lexical_scores(self, terms: list[str], mask: np.ndarray) -> np.ndarray:
        t = self.tuning
        n = len(self.keys)
        scores = np.zeros(n, dtype=np.float32)
        if not self.live:
            return scores
        avgdl = self.total_length / self.live or 1.0
        alive = self.alive.data[:n]
        lengths = self.length.data[:n]
        for term in dict.fromkeys(terms):
            entry = self.postings.get(term)
            if entry is None:
                continue
            slots = np.frombuffer(entry[0], dtype=np.int32)
            tfs = np.frombuffer(entry[1], dtype=np.uint16).astype(np.float32)
            keep = alive[slots]
            slots, tfs = slots[keep], tfs[keep]
            df = len(slots)
            if not df:
                continue
            idf = math.log(1.0 + (self.live - df + 0.5) / (df + 0.5))
            norm = t.k1 * (1.0 - t.b + t.b * lengths[slots] / avgdl)
            scores[slots] += idf * tfs * (t.k1 + 1.0) / (tfs + norm)
        scores[~mask] = 0.0
        return scores

    def semantic_scores(self, query_vector: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n = len(self.keys)
        scores = np.full(n, -np.inf, dtype=np.float32)
        usable = mask & self.has_vector.head(n)
        count = int(usable.sum())
        if not count:
            return scores
        q = np.asarray(query_vector, dtype=np.float32)
        q = q / (float(np.linalg.norm(q)) or 1.0)
        if count > self.tuning.prefilter_above:
            # Binary pre-filter: the documents whose sign bits differ least from the query's, then exact
            # int8 scores for those only (6 ms instead of 13 ms for 100k documents).
            slots = self._nearest_by_signs(q, usable, max(self.tuning.prefilter_keep, count // 10))
            scores[slots] = (self.vectors[slots].astype(np.float32) @ q) * self.scales.data[slots]
            return scores
        if count * 3 < n:
            # A filter keeps a small part (the public needs of an index that also holds 200k solutions): score
            # those rows only, in cache-sized groups (2 ms instead of 23 ms for 10k of 290k documents).
            slots = np.flatnonzero(usable)
            for start in range(0, count, VECTOR_CHUNK):
                part = slots[start : start + VECTOR_CHUNK]
                scores[part] = (self.vectors[part].astype(np.float32) @ q) * self.scales.data[part]
            return scores
        scores = np.zeros(n, dtype=np.float32)  # rows past the stored vectors stay 0, then -inf below
        for start in range(0, n, VECTOR_CHUNK):
            chunk = self.vectors[start : min(n, start + VECTOR_CHUNK)]
            scores[start : start + len(chunk)] = chunk.astype(np.float32) @ q
        scores *= self.scales.head(n)
        scores[~usable] = -np.inf
        return scores

    def semantic_median(self, query_vector: np.ndarray, flt: Filter | None = None) -> tuple[float, int]:
        """The median cosine of a query to the documents a filter lets through (those with a vector), and how many
        there are; above MEDIAN_SAMPLE documents, of an evenly spaced sample of them. A floor relative to it
        travels between languages and text lengths, where an absolute cosine does not (docs/matching.md)."""
        with self.lock:
            n = len(self.keys)
            slots = np.flatnonzero(self._mask(flt) & self.has_vector.head(n))
            if not len(slots):
                return 0.0, 0
            sample = slots[:: max(1, len(slots) // MEDIAN_SAMPLE)]
            q = np.asarray(query_vector, dtype=np.float32)
            q = q / (float(np.linalg.norm(q)) or 1.0)
            scores = (self.vectors[sample].astype(np.float32) @ q) * self.scales.data[sample]
            return float(np.median(scores)), len(slots)

    def _sign_words(self, unit: np.ndarray) -> list[np.uint64]:
        """The signs of a vector around the encoder's mean, as 64-bit words, for the Hamming pre-filter."""
        centred = unit - self.center if self.center is not None else unit
        packed = np.packbits(centred > 0, bitorder="little")
        packed = np.pad(packed, (0, len(self.sign_bits) * 8 - len(packed)))
        return list(packed.view(np.uint64))

    def _nearest_by_signs(self, unit: np.ndarray, usable: np.ndarray, keep: int) -> np.ndarray:
        n = len(usable)
        words = self._sign_words(unit)
        distance = np.zeros(n, dtype=np.uint16)
        for column, word in zip(self.sign_bits, words, strict=True):
            distance += np.bitwise_count(column.head(n) ^ word)
        distance[~usable] = np.iinfo(np.uint16).max
        keep = min(keep, int(usable.sum()))
        return np.argpartition(distance, keep - 1)[:keep]

    @staticmethod
    def _top(scores: np.ndarray, depth: int, floor: float) -> np.ndarray:
        candidates = np.flatnonzero(scores > floor)
        if len(candidates) > depth:
            candidates = candidates[np.argpartition(-scores[candidates], depth - 1)[:depth]]
        return candidates[np.lexsort((candidates, -scores[candidates]))]

    def search(
        self,
        terms: list[str],
        query_vector: np.ndarray | None,
        *,
        k: int = 10,
        mode: str = "hybrid",
        flt: Filter | None = None,
        language: str = "de",
        expansion: Sequence[str] = (),
        expansion_weight: float = 0.0,
        translated: bool = False,
    ) -> list[Hit]:
        """Ranked hits; ties are broken by key so that every backend returns the same order.

        `expansion` are further words (see `pipeline.expanded_search`) whose BM25, max-normalised and weighted by
        `expansion_weight`, is added to the max-normalised BM25 of the query's own words. `translated`: the terms
        include the query's words in the other language (`pipeline.prepare_query`).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        t = self.tuning
        with self.lock:
            mask = self._mask(flt)
            depth = max(k, t.depth)
            hits: dict[int, Hit] = {}
            lex_top = np.empty(0, dtype=np.int64)
            sem_top = np.empty(0, dtype=np.int64)
            if mode != "semantic" and (terms or expansion):
                lex = self.lexical_scores(terms, mask)
                if expansion and expansion_weight:
                    extra = self.lexical_scores(list(expansion), mask)
                    lex = lex / (float(lex.max()) or 1.0) + expansion_weight * extra / (float(extra.max()) or 1.0)
                lex_top = self._top(lex, depth, 0.0)
                for rank, slot in enumerate(lex_top, 1):
                    hits[int(slot)] = Hit(self.keys[slot], 0.0, lexical_rank=rank, lexical_score=float(lex[slot]))
            if mode != "lexical" and query_vector is not None:
                sem = self.semantic_scores(query_vector, mask)
                sem_top = self._top(sem, depth, -np.inf)
                for rank, slot in enumerate(sem_top, 1):
                    hit = hits.setdefault(int(slot), Hit(self.keys[slot], 0.0))
                    hit.semantic_rank = rank
                    hit.semantic_score = float(sem[slot])
            self._fuse(hits, lex_top, sem_top, language, translated)
            ordered = sorted(hits.values(), key=lambda h: (-h.score, h.key))
            return ordered[:k]

    def _fuse(
        self, hits: dict[int, Hit], lex_top: np.ndarray, sem_top: np.ndarray, language: str, translated: bool = False
    ) -> None:
        """Weighted sum of max-normalised BM25 and min-max-normalised cosine over the candidates.

        Lexical evidence weighs less when query and document are in different languages: shared words are then
        rare and mostly names, while the multilingual model carries the meaning – unless the query brings its
        words' translations.
        """
        t = self.tuning
        boost = self.columns["boost"].data
        languages = self.columns["language"].data
        query_language = LANGUAGES.index(language) if language in LANGUAGES else 0
        lex_max = max((h.lexical_score for h in hits.values()), default=0.0) or 1.0
        sem_values = [h.semantic_score for h in hits.values() if h.semantic_rank is not None]
        sem_hi = max(sem_values, default=1.0)
        sem_lo = min(sem_values, default=0.0)
        sem_span = (sem_hi - sem_lo) or 1.0
        only_one = not len(lex_top) or not len(sem_top)
        for slot, hit in hits.items():
            if t.fusion == "rrf" and not only_one:
                score = sum(1.0 / (t.rrf_k + r) for r in (hit.lexical_rank, hit.semantic_rank) if r is not None)
            else:
                lex = hit.lexical_score / lex_max
                sem = (hit.semantic_score - sem_lo) / sem_span if hit.semantic_rank is not None else 0.0
                if not len(sem_top):
                    score = lex
                elif not len(lex_top):
                    score = sem
                else:
                    same = languages[slot] == query_language
                    if same:
                        weight = t.lexical_weight
                    else:
                        weight = t.translated_lexical_weight if translated else t.cross_language_lexical_weight
                    score = weight * lex + (1.0 - weight) * sem
            if boost[slot]:
                score *= 1.0 + t.boost
            hit.score = float(score)
