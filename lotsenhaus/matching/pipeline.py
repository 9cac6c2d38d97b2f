"""The steps from text to index entries and from a query to ranked hits, shared by product and benchmark."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from lotsenhaus.matching.analysis import analyse, query_terms
from lotsenhaus.matching.encoders import Encoder
from lotsenhaus.matching.engine import Engine, Filter, Hit
from lotsenhaus.matching.translation import english_terms

TITLE_WEIGHT = 2
MAX_QUERY_CHARS = 2000
MAX_QUERY_EMBED_CHARS = 1000


def passage_text(title: str, text: str) -> str:
    """The exact text a passage embedding is computed from (and cached under)."""
    return f"{title}\n{text}" if title else text


def document_terms(title: str, text: str, language: str | None = None) -> tuple[str, Counter[str]]:
    """Language and term counts of a document; the title counts twice."""
    language, counts = analyse(f"{title}\n{text}", language)
    if title:
        for term, tf in analyse(title, language)[1].items():
            counts[term] += tf * (TITLE_WEIGHT - 1)
    return language, counts


def clean_query(text: str) -> str:
    """Queries of any length or script are accepted; very long ones are cut, control characters dropped."""
    text = "".join(ch if ch.isprintable() else " " for ch in (text or "")[:MAX_QUERY_CHARS])
    return " ".join(text.split())


class PreparedQuery(NamedTuple):
    terms: list[str]
    vector: np.ndarray | None
    language: str
    translated: bool  # the terms include the English of the query's German words


def prepare_query(text: str, encoder: Encoder | None, mode: str = "hybrid") -> PreparedQuery:
    """Terms, (unless lexical-only) the query vector, and the language of a cleaned query. A German query's
    terms include its words' English (`translation.english_terms`), so that it finds English texts by their
    words too, where a dictionary is installed."""
    text = clean_query(text)
    if not text:
        return PreparedQuery([], None, "de", False)
    language, terms = query_terms(text)
    translated = False
    if language == "de":
        english = [term for term in english_terms(text) if term not in terms]
        terms, translated = terms + english, bool(english)
    vector = None
    if mode != "lexical" and encoder is not None and any(ch.isalnum() for ch in text):
        vector = encoder.queries([text[:MAX_QUERY_EMBED_CHARS]])[0]
    return PreparedQuery(terms, vector, language, translated)


@dataclass(frozen=True)
class Expansion:
    """Query expansion for whole needs ("Passende Lösungen"), chosen on needs-dev (bench/tune_expansion.py).

    A need is written in German, most solutions in English, so the need's own words rarely occur in them. The
    first ranking's best documents are read for their most telling words (term frequency × inverse document
    frequency), and a second ranking adds those words to the need's own. Its top is no better than the first's,
    but it finds relevant documents further down that the first one missed (Recall@100 0.68 → 0.86): the
    first ranking's head is kept as it is, the second one fills the rest of the list.
    """

    feedback: int = 10  # documents of the first ranking whose words are read
    terms: int = 20  # words added
    weight: float = 3.0  # weight of the added words' BM25 against the need's own words'
    keep: int = 30  # hits of the first ranking kept in their order


EXPANSION = Expansion()


@dataclass
class Expanded:
    hits: list[Hit]
    added: list[str]  # the words the need was expanded by
    by_expansion: frozenset[str]  # keys of the hits past the first ranking's head (explained by the added words)
    translated: bool = False  # the need's terms included their English (prepare_query)


def expansion_terms(engine: Engine, feedback: Sequence[Mapping[str, int]], count: int) -> list[str]:
    """The `count` most telling words of some documents: relative term frequency × log(N / df), summed."""
    live = max(engine.live, 1)
    weights: dict[str, float] = {}
    for terms in feedback:
        length = sum(terms.values()) or 1
        for term, tf in terms.items():
            df = engine.document_frequency(term)
            if df:
                weights[term] = weights.get(term, 0.0) + tf / length * math.log(max(live / df, 1.0))
    return sorted(weights, key=lambda term: (-weights[term], term))[:count]


def expanded_search(
    engine: Engine,
    terms: list[str],
    vector: np.ndarray | None,
    *,
    terms_of: Callable[[list[str]], Sequence[Mapping[str, int]]],
    k: int,
    flt: Filter | None = None,
    language: str = "de",
    settings: Expansion = EXPANSION,
    translated: bool = False,
) -> Expanded:
    """Hits for a whole need, the words it was expanded by, and which hits only the expansion found.

    `terms_of` gives the analysed terms of documents by key (the index rows in the product, the corpus in
    `eval-search`), so the engine keeps no forward index in memory.
    """
    first = engine.search(terms, vector, k=k, flt=flt, language=language, translated=translated)
    feedback = terms_of([h.key for h in first[: settings.feedback]])
    added = expansion_terms(engine, feedback, settings.terms)
    if not added:
        return Expanded(first, [], frozenset(), translated)
    second = engine.search(
        terms,
        vector,
        k=k,
        flt=flt,
        language=language,
        expansion=added,
        expansion_weight=settings.weight,
        translated=translated,
    )
    head = first[: settings.keep]
    seen = {h.key for h in head}
    tail = [h for h in second if h.key not in seen][: max(0, k - len(head))]
    if head and tail:
        # Below the head (strictly), in the second ranking's order, on the first ranking's scale.
        floor, top = head[-1].score * 0.999, tail[0].score or 1.0
        for hit in tail:
            hit.score = floor * hit.score / top
    return Expanded(head + tail, added, frozenset(h.key for h in tail), translated)
