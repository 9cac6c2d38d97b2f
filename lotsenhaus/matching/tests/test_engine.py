"""The in-process engine: ranking, fusion, filters, updates, ties."""

from collections import Counter

import numpy as np

from lotsenhaus.matching.engine import Engine, Facets, Filter
from lotsenhaus.matching.pipeline import document_terms, expanded_search


def _terms(text):
    return document_terms("", text)[1]


def _vec(*values):
    v = np.zeros(384, dtype=np.float32)
    v[: len(values)] = values
    return v


def test_bm25_prefers_the_document_that_is_about_the_words():
    engine = Engine()
    engine.add("a", _terms("Leckage im Wassernetz erkennen, Leckage orten, Leckage melden"), Facets())
    engine.add("b", _terms("Parkraum in der Innenstadt verwalten und eine Leckage erwähnen"), Facets())
    engine.add("c", _terms("Schulessen bestellen"), Facets())
    hits = engine.search(list(_terms("Leckage Wassernetz")), None, mode="lexical")
    assert [h.key for h in hits] == ["a", "b"]
    assert all(h.found_by == "lexical" for h in hits)


def test_hybrid_finds_by_meaning_and_still_finds_documents_without_a_vector():
    engine = Engine()
    engine.add("meaning", _terms("pothole detection"), Facets(), _vec(1, 0))
    engine.add("words", _terms("Straßenschäden melden"), Facets())  # not embedded yet
    engine.add("noise", _terms("Kita-Platz"), Facets(), _vec(0, 1))
    hits = engine.search(list(_terms("Straßenschäden")), _vec(0.9, 0.1), mode="hybrid")
    keys = [h.key for h in hits]
    assert keys[0] in {"meaning", "words"} and {"meaning", "words"} <= set(keys)
    by_key = {h.key: h for h in hits}
    assert by_key["words"].found_by == "lexical" and by_key["meaning"].found_by == "semantic"


def test_filters_restrict_by_facets_and_visibility():
    engine = Engine()
    text = _terms("Chatbot für Bürgeranfragen")
    engine.add("idea", text, Facets(maturity=0, hosting=1))
    engine.add("in-use", text, Facets(maturity=3, hosting=2, certifications=1 | 4, boost=True))
    engine.add("draft", text, Facets(kind="need", public=False, organisation=7))
    engine.add("public-need", text, Facets(kind="need", public=True, organisation=8))
    terms = list(text)

    def keys(flt):
        return {h.key for h in engine.search(terms, None, mode="lexical", flt=flt)}

    assert keys(Filter(min_maturity=2)) == {"in-use"}
    assert keys(Filter(hosting_any=1)) == {"idea"}
    assert keys(Filter(certifications_all=1 | 4)) == {"in-use"}
    assert keys(Filter(certifications_all=1 | 2)) == set()
    assert keys(Filter(kinds=frozenset({"need"}), visible_organisations=frozenset())) == {"public-need"}
    assert keys(Filter(kinds=frozenset({"need"}), visible_organisations=frozenset({7}))) == {"draft", "public-need"}
    assert keys(Filter(kinds=frozenset({"need"}), exclude_organisation=8)) == {"draft"}
    unrestricted = Filter(visible_organisations=frozenset(), unrestricted_kinds=frozenset({"need"}))
    assert "draft" in keys(unrestricted)


def test_a_public_sector_reference_lifts_an_equal_hit_gently():
    engine = Engine()
    engine.add("plain", _terms("Chatbot"), Facets())
    engine.add("referenced", _terms("Chatbot"), Facets(boost=True))
    hits = engine.search(["chatbot"], None, mode="lexical")
    assert [h.key for h in hits] == ["referenced", "plain"]
    assert hits[0].score <= hits[1].score * 1.2


def test_replacing_and_removing_documents():
    engine = Engine()
    engine.add("s", _terms("Müllabfuhr planen"), Facets())
    engine.add("s", _terms("Laubbläser koordinieren"), Facets())
    assert engine.search(["mullabfuhr"], None, mode="lexical") == []
    assert [h.key for h in engine.search(list(_terms("Laubbläser")), None, mode="lexical")] == ["s"]
    engine.remove("s")
    assert engine.search(list(_terms("Laubbläser")), None, mode="lexical") == []
    assert len(engine) == 0 and engine.dead == 2


def test_ties_are_broken_by_key_whatever_the_insertion_order():
    first, second = Engine(), Engine()
    for key in ("b", "a", "c"):
        first.add(key, Counter({"gleich": 1}), Facets())
    for key in ("c", "a", "b"):
        second.add(key, Counter({"gleich": 1}), Facets())
    assert [h.key for h in first.search(["gleich"], None)] == ["a", "b", "c"]
    assert [h.key for h in second.search(["gleich"], None)] == ["a", "b", "c"]


def test_the_binary_pre_filter_keeps_the_nearest_documents():
    """Above a size the engine ranks only the documents whose sign bits are closest; close neighbours stay in."""
    rng = np.random.default_rng(7)
    query = rng.normal(size=384).astype(np.float32)
    vectors = rng.normal(size=(600, 384)).astype(np.float32)
    near = {f"d{i:03}" for i in range(0, 600, 120)}  # five documents that say nearly what the query says
    for key in near:
        vectors[int(key[1:])] = query + rng.normal(scale=0.4, size=384).astype(np.float32)
    exact, filtered = Engine(), Engine()
    filtered.tuning.prefilter_above, filtered.tuning.prefilter_keep = 100, 60
    for i, vector in enumerate(vectors):
        for engine in (exact, filtered):
            engine.add(f"d{i:03}", Counter(), Facets(), vector)
    best_exact = [h.key for h in exact.search([], query, k=5, mode="semantic")]
    best_filtered = [h.key for h in filtered.search([], query, k=5, mode="semantic")]
    assert set(best_exact) == set(best_filtered) == near
    assert best_exact == best_filtered
    assert len(filtered.search([], query, k=100, mode="semantic")) == 60  # only the kept ones are scored


def test_documents_without_a_vector_beyond_the_vector_columns_do_not_break_the_search():
    """A list import adds thousands of documents whose embeddings come later: the vector columns (signs, scales)
    are shorter than the index then. The search by meaning answered 500 (shapes did not match)."""
    rng = np.random.default_rng(3)
    query = rng.normal(size=384).astype(np.float32)
    for threshold in (100, 10**9):  # with and without the binary pre-filter
        engine = Engine()
        engine.tuning.prefilter_above, engine.tuning.prefilter_keep = threshold, 60
        for i in range(200):
            engine.add(f"v{i:04}", Counter(), Facets(), rng.normal(size=384).astype(np.float32))
        for i in range(3000):  # more than the columns' spare room
            engine.add(f"t{i:04}", _terms("Texterkennung"), Facets())
        hits = engine.search(list(_terms("Texterkennung")), query, k=10, mode="hybrid")
        assert len(hits) == 10
        assert len(engine.search([], query, k=10, mode="semantic")) == 10


def test_expansion_finds_what_shares_words_only_with_the_best_matches_and_keeps_their_order():
    texts = {
        "near": "SkyCheck: bridge inspection by drones with automated crack detection",
        "far": "Crack detection in concrete structures from drone imagery",
        "school": "School meals are ordered online by parents",
    }
    analysed = {key: _terms(text) for key, text in texts.items()}
    engine = Engine()
    for key, terms in analysed.items():
        engine.add(key, terms, Facets(language="en"))
    query = list(_terms("SkyCheck für unsere Brücken"))
    first = engine.search(query, None, mode="lexical")
    assert [h.key for h in first] == ["near"]  # the query's own words reach one document only

    expanded = expanded_search(engine, query, None, terms_of=lambda keys: [analysed[k] for k in keys], k=10)
    keys = [h.key for h in expanded.hits]
    assert keys == ["near", "far"]  # the first ranking's head first, then what its words lead to
    assert expanded.by_expansion == {"far"}
    assert "crack" in expanded.added and "school" not in expanded.added
    scores = [h.score for h in expanded.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


def test_expansion_adds_nothing_when_the_first_ranking_is_empty():
    engine = Engine()
    engine.add("a", _terms("School meals are ordered online"), Facets(language="en"))
    expanded = expanded_search(engine, list(_terms("Brücken")), None, terms_of=lambda keys: [], k=10)
    assert expanded.hits == [] and expanded.added == [] and not expanded.by_expansion


def test_the_semantic_median_is_taken_over_the_documents_the_filter_lets_through():
    engine = Engine()
    for key, vector in (("a", _vec(1, 0)), ("b", _vec(0.6, 0.8)), ("c", _vec(0, 1))):
        engine.add(key, _terms("Bedarf"), Facets(kind="need"), vector)
    engine.add("far", _terms("Lösung"), Facets(kind="solution"), _vec(-1, 0))
    engine.add("pending", _terms("Bedarf"), Facets(kind="need"))  # no vector yet: not counted
    median, count = engine.semantic_median(_vec(1, 0), Filter(kinds=frozenset({"need"})))
    assert count == 3 and abs(median - 0.6) < 0.01
    assert engine.semantic_median(_vec(1, 0))[1] == 4


def test_a_filter_that_keeps_a_few_documents_scores_them_as_a_full_scan_would():
    """The public needs of an index that also holds every solution are scored on their own rows only: same scores,
    same order as scoring every row and dropping the others."""
    rng = np.random.default_rng(11)
    query = rng.normal(size=384).astype(np.float32)
    engine = Engine()
    for i in range(3000):
        kind = "need" if i % 10 == 0 else "solution"
        engine.add(f"{kind}{i:04}", Counter(), Facets(kind=kind), rng.normal(size=384).astype(np.float32))
    mask = engine._mask(Filter(kinds=frozenset({"need"})))
    few = engine.semantic_scores(query, mask)  # 300 of 3000: scored row by row
    everything = engine.semantic_scores(query, engine._mask(None))  # all rows: the chunked scan
    assert np.isfinite(few).sum() == 300
    np.testing.assert_allclose(few[mask], everything[mask], rtol=1e-5)
    assert np.all(np.isneginf(few[~mask]))
    needs = engine.search([], query, k=20, mode="semantic", flt=Filter(kinds=frozenset({"need"})))
    assert [h.key for h in needs] == sorted(
        (k for k in engine.keys if k.startswith("need")), key=lambda k: -everything[engine.slot_of[k]]
    )[:20]
