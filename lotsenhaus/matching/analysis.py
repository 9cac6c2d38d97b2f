"""Text analysis for the lexical side: German and English analysers that turn text into index terms.

German: lower-casing, stop words, compound splitting (the whole word is kept too), Snowball stemming, umlaut and
ß folding; English: stop words and the Snowball English stemmer. Both add one synonym term per phrase of the
curated list (data/synonyms.json), so "KI" in a need meets "künstliche Intelligenz" or "AI" in a solution.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import Stemmer

from lotsenhaus.matching import compounds

DATA = Path(__file__).parent / "data"
WORD = re.compile(r"[^\W_]+", re.UNICODE)
FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "à": "a", "á": "a", "é": "e", "è": "e"})
MAX_CHARS = 20_000
MAX_TOKEN = 64
SYNONYM_PREFIX = "≈"


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    data = json.loads((DATA / "stopwords.json").read_text(encoding="utf-8"))
    return {lang: frozenset(data[lang]) for lang in ("de", "en")}


def words(text: str) -> list[re.Match[str]]:
    """Word tokens with their positions (letters and digits; punctuation and symbols separate words)."""
    return list(WORD.finditer(unicodedata.normalize("NFC", text[:MAX_CHARS])))


def detect_language(text: str) -> str:
    """'de' or 'en' by counting stop words; German wins ties because needs are written in German."""
    stop = _stopwords()
    tokens = [m.group().lower() for m in words(text[:3000])]
    de = sum(t in stop["de"] for t in tokens)
    en = sum(t in stop["en"] for t in tokens)
    return "en" if en > de else "de"


class Analyzer:
    language = "de"
    stemmer_name = "german"

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer(self.stemmer_name)
        self._stop = _stopwords()[self.language]

    @lru_cache(maxsize=100_000)  # noqa: B019 - analysers live for the process
    def word_terms(self, word: str) -> tuple[str, ...]:
        """Index terms of one lower-case word, or () for a stop word."""
        if word in self._stop or (len(word) < 2 and not word.isdigit()) or len(word) > MAX_TOKEN:
            return ()
        if word.isdigit():
            return (word,)
        parts = self._parts(word)
        stems = [self._stemmer.stemWord(p).translate(FOLD) for p in parts]
        return tuple(dict.fromkeys(s for s in stems if len(s) > 1 or s.isdigit()))

    def _parts(self, word: str) -> tuple[str, ...]:
        return (word,)

    def terms(self, text: str) -> list[str]:
        """All index terms of a text, synonyms included, in order (repeats count for term frequency)."""
        tokens = [m.group().lower() for m in words(text)]
        result: list[str] = []
        for word in tokens:
            result.extend(self.word_terms(word))
        result.extend(synonym_terms(tokens))
        return result

    def term_counts(self, text: str) -> Counter[str]:
        return Counter(self.terms(text))


class GermanAnalyzer(Analyzer):
    language = "de"
    stemmer_name = "german"

    def _parts(self, word: str) -> tuple[str, ...]:
        parts = tuple(p for p in compounds.split(word) if p not in self._stop)
        return (word, *parts) if len(parts) > 1 else (word,)


class EnglishAnalyzer(Analyzer):
    language = "en"
    stemmer_name = "english"


@lru_cache(maxsize=2)
def analyzer(language: str) -> Analyzer:
    return EnglishAnalyzer() if language == "en" else GermanAnalyzer()


def _stem_all(word: str) -> str:
    """A language-neutral key for synonym phrases: both stemmers applied, then folding."""
    return _stem_pair()[1].stemWord(_stem_pair()[0].stemWord(word)).translate(FOLD)


@lru_cache(maxsize=1)
def _stem_pair() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    return Stemmer.Stemmer("german"), Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _synonym_phrases() -> tuple[dict[tuple[str, ...], str], int]:
    """Phrase (as neutral keys) → synonym term, and the longest phrase length."""
    groups = json.loads((DATA / "synonyms.json").read_text(encoding="utf-8"))["groups"]
    phrases: dict[tuple[str, ...], str] = {}
    for number, group in enumerate(groups):
        for phrase in group:
            key = tuple(_stem_all(m.group().lower()) for m in words(phrase))
            if key:
                phrases[key] = f"{SYNONYM_PREFIX}{number}"
    return phrases, max(len(k) for k in phrases)


def synonym_terms(tokens: list[str]) -> list[str]:
    """One synonym term for every phrase of the list found in the text (longest match first)."""
    phrases, longest = _synonym_phrases()
    keys = [_stem_all(t) for t in tokens]
    found: list[str] = []
    i = 0
    while i < len(keys):
        for size in range(min(longest, len(keys) - i), 0, -1):
            term = phrases.get(tuple(keys[i : i + size]))
            if term:
                found.append(term)
                i += size
                break
        else:
            i += 1
    return found


def analyse(text: str, language: str | None = None) -> tuple[str, Counter[str]]:
    """The language of a text and its term counts."""
    language = language or detect_language(text)
    return language, analyzer(language).term_counts(text)


def query_terms(text: str) -> tuple[str, list[str]]:
    """Distinct terms of a query, analysed in its own language."""
    language = detect_language(text)
    return language, list(dict.fromkeys(analyzer(language).terms(text)))


@lru_cache(maxsize=1)
def _synonym_groups() -> list[list[str]]:
    return json.loads((DATA / "synonyms.json").read_text(encoding="utf-8"))["groups"]


def synonym_label(term: str) -> str:
    """The phrases of a synonym term, for explanations ("KI = künstliche Intelligenz = AI")."""
    number = int(term.removeprefix(SYNONYM_PREFIX))
    return " = ".join(_synonym_groups()[number][:3])
