"""German compound splitting (CharSplit's n-gram method) with guards against over-splitting.

"Baugenehmigungsverfahren" becomes bau + genehmigung + verfahren; "Software" or "Verwaltung" stay whole: a split
is taken only when CharSplit is confident, both parts are long enough and the word is not on the keep-whole list.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
TABLE_PATH = DATA / "compounds.npz"
MIN_WORD = 8
MAX_WORD = 40
MIN_PART = 3
MIN_SCORE = 0.5
FUGEN = ("ts", "gs", "ks", "hls", "ns")


def ngram_hash(ngram: str) -> int:
    return int.from_bytes(hashlib.blake2b(ngram.encode(), digest_size=8).digest(), "little")


class _Table:
    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        self.keys = keys
        self.values = values.astype(np.float32) / 255.0

    def lookup(self, ngrams: list[str], default: float) -> np.ndarray:
        hashes = np.fromiter((ngram_hash(n) for n in ngrams), dtype=np.uint64, count=len(ngrams))
        pos = np.searchsorted(self.keys, hashes)
        pos[pos >= len(self.keys)] = 0
        found = self.keys[pos] == hashes
        return np.where(found, self.values[pos], np.float32(default))


@lru_cache(maxsize=1)
def _tables() -> dict[str, _Table]:
    data = np.load(TABLE_PATH)
    return {name: _Table(data[f"{name}_keys"], data[f"{name}_values"]) for name in ("prefix", "suffix", "infix")}


@lru_cache(maxsize=1)
def _guards() -> dict[str, frozenset[str]]:
    data = json.loads((DATA / "keep_whole.json").read_text(encoding="utf-8"))
    return {"keep_whole": frozenset(data["words"]), "not_heads": frozenset(data["not_heads"])}


def _cut_fugen(part: str) -> str:
    if part.endswith(FUGEN) and len(part) > 3:
        return part[:-1]
    return part


def best_split(word: str) -> tuple[float, str, str] | None:
    """CharSplit's best split of a lower-case word into modifier and head, or None (one lookup per table)."""
    if len(word) < MIN_WORD:
        return None
    tables = _tables()
    positions = list(range(MIN_PART, len(word) - MIN_PART + 1))
    ends = [_cut_fugen(word[:n]) for n in positions]
    starts = [_cut_fugen(word[n:]) for n in positions]
    inner: list[str] = []
    bounds = [0]
    for n in positions:
        inner.extend(word[n : n + k] for k in range(3, len(word) - n + 1))
        bounds.append(len(inner))
    end_prob = tables["suffix"].lookup(ends, -1.0)
    start_prob = tables["prefix"].lookup(starts, -1.0)
    in_prob = np.minimum.reduceat(tables["infix"].lookup(inner, 1.0), bounds[:-1])
    scores = start_prob - in_prob + end_prob
    best = int(np.argmax(scores))
    n = positions[best]
    return float(scores[best]), word[:n], word[n:]


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of a compound (recursively), or the word alone when it should not be split."""
    if not MIN_WORD <= len(word) <= MAX_WORD or not word.isalpha() or word in _guards()["keep_whole"]:
        return (word,)
    found = best_split(word)
    if found is None or found[0] < MIN_SCORE:
        return (word,)
    _score, left, right = found
    left = _cut_fugen(left) if left.endswith("s") else left
    if len(left) < MIN_PART or len(right) < MIN_PART + 1 or right in _guards()["not_heads"]:
        return (word,)
    return split(left) + split(right)
