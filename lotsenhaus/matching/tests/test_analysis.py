"""The analysers: what a German or English text turns into, and what it must not turn into."""

from collections import Counter

from lotsenhaus.matching.analysis import analyse, detect_language, query_terms
from lotsenhaus.matching.compounds import split
from lotsenhaus.matching.engine import Engine, Facets


def test_compounds_are_split_but_not_over_split():
    assert split("baugenehmigungsverfahren") == ("bau", "genehmigung", "verfahren")
    assert split("datenschutz") == ("daten", "schutz")
    for whole in ("software", "verwaltung", "digitalisierung", "beschwerden", "bürgerinnen"):
        assert split(whole) == (whole,)


def test_a_part_of_a_compound_finds_the_compound_and_the_whole_word_is_kept():
    _lang, terms = analyse("Das Baugenehmigungsverfahren dauert zu lange.")
    assert {"bau", "genehm", "verfahr", "baugenehmigungsverfahr"} <= set(terms)
    _lang, query = query_terms("Genehmigung")
    assert set(query) <= set(terms)


def test_umlauts_and_sharp_s_fold_so_both_spellings_meet():
    assert set(analyse("Straße")[1]) == set(analyse("Strasse")[1])
    assert set(analyse("Behörde")[1]) == set(analyse("Behorde")[1])
    assert set(analyse("Straßenbeleuchtung")[1]) == set(analyse("Strassenbeleuchtung")[1])


def test_stop_words_are_dropped_and_languages_are_told_apart():
    assert "und" not in analyse("Bauen und Wohnen")[1]
    assert detect_language("The city uses a chatbot for the citizens") == "en"
    assert detect_language("Die Stadt nutzt einen Chatbot für die Bürger") == "de"
    assert "citi" in analyse("The city of Helsinki")[1]


def test_synonyms_join_jargon_plain_words_and_english():
    ki = set(query_terms("KI")[1])
    for text in ("künstliche Intelligenz für Anträge", "artificial intelligence for permits", "Wir nutzen KI"):
        assert ki & set(analyse(text)[1]), text
    assert set(query_terms("E-Akte")[1]) & set(analyse("Einführung der elektronischen Akte")[1])


def test_a_synonym_makes_a_cross_language_document_findable_by_words():
    engine = Engine()
    engine.add("en", analyse("An artificial intelligence assistant answers questions.")[1], Facets(language="en"))
    engine.add("other", analyse("Road maintenance with sensors.")[1], Facets(language="en"))
    hits = engine.search(query_terms("KI-Assistent")[1], None, mode="lexical")
    assert [h.key for h in hits] == ["en"]


def test_any_input_is_analysed_without_error():
    for text in ("", "!!!", "\"*NEAR'", "日本語の検索", "x" * 10_000, "Ω≈ç√∫", "SELECT * FROM users; --"):
        language, terms = analyse(text)
        assert language in {"de", "en"} and isinstance(terms, Counter)
