"""A German query's words in English (matching/translation.py) with the small dictionary of tests/dictionary.py,
which conftest installs for every run."""

from pathlib import Path
from typing import Any

import pytest

from lotsenhaus.matching import translation
from lotsenhaus.matching.analysis import analyzer
from lotsenhaus.matching.engine import Engine, Facets
from lotsenhaus.matching.pipeline import document_terms, prepare_query
from tests.dictionary import ENTRIES, write_dictionary


def english(text: str) -> set[str]:
    return set(analyzer("en").terms(text))


def test_german_words_bring_the_english_of_their_first_plain_sense():
    assert set(translation.english_terms("Antrag der Bürger")) == english("application request citizen")
    assert set(translation.english_terms("Schulen")) == english("school")  # the base form without its ending
    assert set(translation.english_terms("Texterkennung")) == english("text recognition")
    # The first entry of "Verkehr" is labelled colloquial: no translation rather than the wrong one.
    assert translation.english_terms("Verkehr") == []
    assert translation.english_terms("Quittung ohne Eintrag") == []
    assert translation.english_terms("werden") == []  # a stop word, though the dictionary has it


def test_a_german_query_carries_its_translation_and_an_english_one_does_not():
    german = prepare_query("Wir suchen eine Texterkennung für Anträge der Verwaltung", None)
    assert german.language == "de" and german.translated
    assert english("text recognition administration") <= set(german.terms)
    english_query = prepare_query("We need text recognition for applications", None)
    assert english_query.language == "en" and not english_query.translated


def test_a_german_need_finds_the_english_solution_by_its_words():
    engine = Engine()
    for key, title, text in [
        ("reports", "Report cards", "Marks of every school year in one place, read by machine"),
        ("bins", "Waste route planning", "Optimised collection routes for refuse lorries in the city"),
    ]:
        language, counts = document_terms(title, text)
        engine.add(key, counts, Facets(language=language))
    query = "Zeugnisse der Schulen digital ablegen"
    terms, _vector, language, translated = prepare_query(query, None)
    assert translated
    translated_hits = engine.search(terms, None, mode="lexical", language=language)
    assert [h.key for h in translated_hits] == ["reports"]
    own_hits = engine.search(analyzer("de").terms(query), None, mode="lexical", language=language)
    # Its own words meet the solution through the synonym list only; the English word "school" is found too.
    assert [h.key for h in own_hits] == ["reports"]
    assert english("school") <= set(terms)
    assert translated_hits[0].lexical_score > 1.5 * own_hits[0].lexical_score


def test_without_a_dictionary_nothing_is_added(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("LOTSENHAUS_DICTIONARY", str(tmp_path / "not-installed"))
    translation.forget()
    try:
        assert not translation.available()
        text = "Texterkennung für Anträge"
        query = prepare_query(text, None)
        assert not query.translated
        assert query.terms == list(dict.fromkeys(analyzer("de").terms(text)))
    finally:
        monkeypatch.undo()
        translation.forget()


def test_an_updated_dictionary_is_compiled_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any):
    settings.VAR_DIR = tmp_path  # its compiled table, not the run's
    base = write_dictionary(tmp_path / "deu-eng", [("Antrag", "application <n>\n")])
    monkeypatch.setenv("LOTSENHAUS_DICTIONARY", str(base))
    translation.forget()
    try:
        assert translation.english_terms("Antrag") == analyzer("en").terms("application")
        write_dictionary(base, [("Antrag", "motion <n>\n"), ("Schule", "school <n>\n")])
        translation.forget()
        assert translation.english_terms("Antrag Schule") == analyzer("en").terms("motion school")
    finally:
        monkeypatch.undo()
        translation.forget()


def test_the_compiled_table_keeps_the_first_plain_entry_of_each_headword(tmp_path: Path):
    rows = translation.compile_dictionary(write_dictionary(tmp_path / "deu-eng"), tmp_path / "compiled.sqlite3")
    headwords = {headword.lower() for headword, _sense in ENTRIES}
    assert rows == len(headwords) - 1  # "Verkehr": its first entry is labelled, so it has none
    assert "werden" in headwords  # compiled like any other; english_terms leaves stop words out


def test_a_solution_among_the_first_by_translated_words_fits_the_need_whatever_its_cosine():
    """ "Passende Lösungen": with the need's words in English a solution among the first MATCH_WORD_RANK by words
    is not collapsed as loosely related even when the model scores it low; without the translation it is."""
    from lotsenhaus.matching.engine import Hit
    from lotsenhaus.matching.selectors import MATCH_MARGIN, MATCH_WORD_RANK, _fits_need

    # Forty candidates by meaning around a median of 0.80; "low" is found by words only near the median.
    hits = [Hit(f"solution:{i}", 0.0, semantic_rank=i + 1, semantic_score=0.78 + i * 0.001) for i in range(40)]
    hits.append(Hit("solution:high", 0.0, semantic_rank=41, semantic_score=0.80 + 2 * MATCH_MARGIN))
    hits.append(Hit("solution:low", 0.0, lexical_rank=1, semantic_rank=42, semantic_score=0.80))
    hits.append(Hit("solution:far", 0.0, lexical_rank=MATCH_WORD_RANK + 1, semantic_rank=43, semantic_score=0.80))
    translated = _fits_need(hits, semantic_ready=True, translated=True)
    plain = _fits_need(hits, semantic_ready=True, translated=False)
    assert {"solution:high", "solution:low"} <= translated and "solution:far" not in translated
    assert "solution:high" in plain and "solution:low" not in plain


def test_a_task_worker_compiles_the_dictionary_before_its_first_task(tmp_path: Path, settings: Any):
    from lotsenhaus.core.signals import worker_starting

    settings.VAR_DIR = tmp_path
    translation.forget()
    try:
        assert not (tmp_path / "dictionary").exists()
        worker_starting.send(sender=None)
        assert list((tmp_path / "dictionary").glob("*.sqlite3"))
    finally:
        translation.forget()
