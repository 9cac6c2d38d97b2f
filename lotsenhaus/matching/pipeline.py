"""The steps from text to index entries and from a query to ranked hits, shared by product and benchmark."""

from __future__ import annotations

from collections import Counter

import numpy as np

from lotsenhaus.matching.analysis import analyse, query_terms
from lotsenhaus.matching.encoders import Encoder

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


def prepare_query(text: str, encoder: Encoder | None, mode: str = "hybrid") -> tuple[list[str], np.ndarray | None, str]:
    """Terms, (unless lexical-only) the query vector, and the language of a cleaned query."""
    text = clean_query(text)
    if not text:
        return [], None, "de"
    language, terms = query_terms(text)
    vector = None
    if mode != "lexical" and encoder is not None and any(ch.isalnum() for ch in text):
        vector = encoder.queries([text[:MAX_QUERY_EMBED_CHARS]])[0]
    return terms, vector, language
