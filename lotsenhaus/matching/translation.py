"""German words of a query in English, from a German–English dictionary on the machine (issue 21, goal 2).

Needs are written in German, most solutions (and the European cases) in English: the need's own words rarely
occur in them, so the lexical half of the search found almost nothing across the languages (nDCG@10 0.09 on
needs-dev) and the fusion leaned on the multilingual model alone. Each German word of a query is looked up in
FreeDict's German–English dictionary (Debian package ``dict-freedict-deu-eng``, GPL-3+, read where it is
installed, never shipped with Lotsenhaus) and the English words of its first sense are added to the query's
terms, analysed as English text; German stop words are not looked up. Entries marked as colloquial, vulgar,
figurative or of an unrelated field (``[ugs.]``, ``[med.]``, …) are skipped: a word whose first entry is one of
them ("Verkehr") brings no English rather than the wrong one.

The dictionary (383,000 headwords, 100 MB uncompressed) is compiled once into a small SQLite table under the
var directory (a few seconds, at the server's start or on first use) and read from there, so no worker holds
it in memory. Without the package nothing is added and the search works as before (docs/matching.md).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from lotsenhaus.matching.analysis import _stopwords, analyzer

DEFAULT_SOURCE = "/usr/share/dictd/freedict-deu-eng"
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
# Labels of entries that are not the plain, general sense a public body means.
SKIPPED = re.compile(
    r"\[(ugs|vulg|med|bot|zool|mus|sport|slang|pej|obs|veraltet|übtr|fig|poet|humor|geh|selten|Ös|Schw|Sw)\.?\]",
    re.IGNORECASE,
)
LABELS = re.compile(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)")
SUFFIXES = ("en", "n", "e", "s", "er", "es")  # a plural or inflected form whose base form is a headword
MAX_PHRASE_WORDS = 3
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_lock = threading.Lock()
_local = threading.local()  # each thread's read-only connection to the compiled table


def source() -> Path:
    """The dictionary's files without their endings (``.index``, ``.dict.dz``), as dictd names them."""
    return Path(os.environ.get("LOTSENHAUS_DICTIONARY", DEFAULT_SOURCE))


def _number(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + _B64.index(ch)
    return value


def first_sense(entry: str) -> list[str]:
    """The English words and short phrases of an entry's first sense; none for a labelled one."""
    lines = entry.split("\n")
    if len(lines) < 2 or SKIPPED.search(lines[1]):
        return []
    phrases = (item.strip() for item in LABELS.sub(" ", lines[1]).split(","))
    return [p for p in phrases if p and len(p.split()) <= MAX_PHRASE_WORDS]


def _stamp(base: Path) -> str:
    """What the compiled table was made from: the index's size and time of change."""
    stat = base.with_name(base.name + ".index").stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _compiled_stamp(target: Path) -> str | None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'source'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def compile_dictionary(base: Path, target: Path) -> int:
    """Headword (lower case) → the English of its first entry, into a SQLite table; returns the number of rows."""
    with gzip.open(base.with_name(base.name + ".dict.dz")) as compressed:
        text = compressed.read()
    first: dict[str, tuple[int, int]] = {}
    with base.with_name(base.name + ".index").open(encoding="utf-8") as index:
        for line in index:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and not parts[0].startswith("00-database"):
                first.setdefault(parts[0].lower(), (_number(parts[1]), _number(parts[2])))
    rows = []
    for word, (offset, length) in first.items():
        english = first_sense(text[offset : offset + length].decode("utf-8", "replace"))
        if english:
            rows.append((word, ", ".join(english)))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(partial)) as db, db:
        db.execute("CREATE TABLE translation (word TEXT PRIMARY KEY, english TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO translation VALUES (?, ?)", rows)
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('source', ?)", [_stamp(base)])
    partial.replace(target)  # whole or not at all, whichever process finishes first
    return len(rows)


def _compiled_path(base: Path) -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "dictionary" / f"{base.name}.sqlite3"


@lru_cache(maxsize=1)
def _table() -> str | None:
    """The compiled table's path (compiled now if needed), or None when the dictionary is not installed."""
    base = source()
    if not base.with_name(base.name + ".index").exists():
        return None
    target = _compiled_path(base)
    with _lock:
        if _compiled_stamp(target) != _stamp(base):  # none yet, or the package was updated since
            compile_dictionary(base, target)
    return str(target)


def forget() -> None:
    """Look for the dictionary again (after LOTSENHAUS_DICTIONARY changed)."""
    _table.cache_clear()
    _local.__dict__.clear()


def available() -> bool:
    return _table() is not None


def _lookup(words: list[str]) -> dict[str, str]:
    path = _table()
    if path is None or not words:
        return {}
    db = getattr(_local, "db", None)
    # A connection is never used across a fork (a worker forked after the master looked something up opens its own).
    if db is None or getattr(_local, "opened_for", None) != (path, os.getpid()):
        db = _local.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        _local.opened_for = (path, os.getpid())
    marks = ",".join("?" * len(words))
    return dict(db.execute(f"SELECT word, english FROM translation WHERE word IN ({marks})", words))  # noqa: S608


def english_terms(text: str) -> list[str]:
    """The English index terms of a German text's words (each word, or its base form without an ending)."""
    stop = _stopwords()["de"]
    wanted = list(dict.fromkeys(w for m in WORD.finditer(text) if (w := m.group(0).lower()) not in stop))
    if not wanted or not available():
        return []
    bases = {word: [word] + [word[: -len(s)] for s in SUFFIXES if word.endswith(s)] for word in wanted}
    found = _lookup(list(dict.fromkeys(form for forms in bases.values() for form in forms)))
    english = [next((found[f] for f in forms if f in found), "") for forms in bases.values()]
    return list(dict.fromkeys(analyzer("en").terms(", ".join(e for e in english if e))))
