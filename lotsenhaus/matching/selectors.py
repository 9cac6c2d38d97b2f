"""Every read of the search index: hits filtered for the person asking, with the reasons they were found."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.matching.analysis import SYNONYM_PREFIX, analyzer, synonym_label, words
from lotsenhaus.matching.encoders import default_encoder
from lotsenhaus.matching.engine import Filter, Hit
from lotsenhaus.matching.index import live_index
from lotsenhaus.matching.models import DigestSubscription, Kind, SearchDocument
from lotsenhaus.matching.pipeline import Expanded, clean_query, expanded_search, prepare_query
from lotsenhaus.matching.registry import DIGEST, SOURCES
from lotsenhaus.organisations.selectors import memberships_of

DEPTH = 200
SNIPPET_WORDS = 36
# The weekly digest and the "a new need matches" notice: a published need matches a solution when its cosine lies
# DIGEST_MARGIN above the median of the solution's cosines to all published needs. Chosen on needs-dev with
# bench/surface_floors.py (each case as a solution against the 30 needs): 40.8 % of the judged-relevant pairs kept,
# 99.55 % of the others dropped, an estimated precision of 10.5 % where the old absolute 0.8 had 0.7 % (it let
# 17 % of all unrelated pairs through) – and a margin, unlike a cosine, does not shift with the language the
# solution is written in. Below MIN_CANDIDATES_FOR_MARGIN embedded needs the absolute DIGEST_MIN_SIMILARITY applies.
DIGEST_MARGIN = 0.04
DIGEST_MIN_SIMILARITY = 0.8
# Need texts of the same language: really similar ones score ≥ 0.90 in the demo, unrelated ones ≤ 0.87.
SIMILAR_NEEDS_MIN_SIMILARITY = 0.88
MIN_SHARED_TERMS = 3  # the bar for documents that have no embedding yet
# Hits found only by meaning must stand out from the rest to count as relevant: a cosine similarity at least
# SEMANTIC_MARGIN above the median of the query's candidates of the same kind (needs against needs: solutions
# are written differently and would shift the median), or above SEMANTIC_CLEAR in any case. Below, they are
# "less relevant": collapsed in the search, left out of the board and the directories. Hits that share words
# with the query are never cut. Calibrated with bench/relevance_floor.py and short German and English queries
# over the demo's needs (docs/matching.md).
SEMANTIC_MARGIN = 0.037
SEMANTIC_CLEAR = 0.84
MIN_CANDIDATES_FOR_MARGIN = 5
# "Passende Lösungen": a solution fits when its cosine lies MATCH_MARGIN above the median of the need's semantic
# candidates; below, it is listed last as loosely related (collapsed on the page, flagged in the API). Shared words
# do not lift it: between a German need and English solutions they are mostly incidental (the hits kept only for
# shared words were judged relevant as rarely as the collapsed ones). Chosen on needs-dev with
# bench/surface_floors.py: of the ten hits shown per need, 75 % of the judged-relevant ones stay above the floor
# and 56 % of the others fall below it; precision above 14.9 %, below 4.4 % (lower bounds: judgements are
# sparse). docs/matching.md has the table.
MATCH_MARGIN = 0.02
# With the need's words in English (matching/translation.py), words do count: a solution among the first
# MATCH_WORD_RANK by words fits whatever its cosine. Chosen on needs-dev with bench/surface_floors.py: of the ten
# hits shown per need, 75 % of the judged-relevant ones fit (the margin alone: 34 %, as the translated words find
# relevant solutions the model scores low) and 62 % of the others fall below; precision 25.4 % above, 6.5 % below.
MATCH_WORD_RANK = 3
# Words that carry no meaning of their own in an explanation ("per", "pro", "ca.") although the analysers
# index them; numbers are never shown as shared terms either (issue 17, D29).
EXPLANATION_NOISE = frozenset({"per", "pro", "via", "bzw", "ca", "etc", "usw", "inkl", "zzgl", "je", "vs", "eg", "ie"})
FOUND_BY = {
    "both": _("found by words and by meaning"),
    "lexical": _("found by words"),
    "semantic": _("found by meaning"),
}


@dataclass
class SearchFilters:
    min_maturity: int | None = None
    hosting_any: int = 0
    deployment_any: int = 0
    certifications_all: int = 0
    max_budget: float | None = None


@dataclass
class Result:
    kind: str
    obj: Any
    hit: Hit
    title: str
    url: str
    snippet: SafeString
    key_terms: list[str]
    synonyms: list[str]
    technologies: list[str]
    less_relevant: bool = False  # below the surface's relevance floor: listed last, collapsed

    @property
    def found_by(self) -> str:
        return str(FOUND_BY[self.hit.found_by])

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


@dataclass
class Outcome:
    query: str
    results: list[Result] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    semantic_ready: bool = True
    terms: list[str] = field(default_factory=list)
    # Hits below the relevance floor, shown only on request under "less relevant".
    weak: list[Hit] = field(default_factory=list)
    # The query's German words were also searched in English (matching/translation.py): shared terms may be English.
    translated: bool = False


def allowed_kinds(user: Actor) -> list[str]:
    if user.is_authenticated:
        return list(SOURCES)
    return [kind for kind, source in SOURCES.items() if source.public_for_anonymous]


def _visibility(user: Actor, kinds: list[str], public_only: bool) -> dict[str, Any]:
    unrestricted = frozenset(
        kind for kind in kinds if SOURCES[kind].see_all_permission and user.has_perm(SOURCES[kind].see_all_permission)
    )
    # Memberships matter only for kinds the person does not see in full (the unit sees all: no query).
    needs_memberships = user.is_authenticated and not public_only and set(kinds) - unrestricted
    orgs = frozenset(memberships_of(user)) if needs_memberships else frozenset()
    return {"visible_organisations": orgs, "unrestricted_kinds": frozenset() if public_only else unrestricted}


def _hits(
    user: Actor,
    query: str,
    *,
    kinds: list[str],
    filters: SearchFilters | None,
    public_only: bool = False,
    exclude_organisation: int | None = None,
    keys_in: frozenset[str] | None = None,
    mode: str = "hybrid",
    depth: int = DEPTH,
    expand: bool = False,
    margins: bool = False,
) -> tuple[list[Hit], bool, list[str], Expanded | None]:
    """Ranked hits, whether every document is embedded yet, the query's analysed terms and (for a whole need,
    `expand`) what the query expansion added."""
    index = live_index()
    filters = filters or SearchFilters()
    flt = Filter(
        kinds=frozenset(kinds),
        exclude_organisation=exclude_organisation,
        min_maturity=filters.min_maturity,
        hosting_any=filters.hosting_any,
        deployment_any=filters.deployment_any,
        certifications_all=filters.certifications_all,
        max_budget=filters.max_budget,
        keys_in=keys_in,
        **_visibility(user, kinds, public_only),
    )
    terms, vector, language, translated = prepare_query(query, default_encoder(), mode)
    if not terms and vector is None:
        return [], True, terms, None
    ready = index.engine.vector_count() >= len(index.engine)
    if expand:
        expanded = expanded_search(
            index.engine,
            terms,
            vector,
            terms_of=_stored_terms,
            k=depth,
            flt=flt,
            language=language,
            translated=translated,
        )
        return expanded.hits, ready, terms, expanded
    hits = index.engine.search(terms, vector, k=depth, mode=mode, flt=flt, language=language, translated=translated)
    if margins and vector is not None:
        # Against every document of the kinds the person may see, not only those asked about (keys_in).
        median, count = index.engine.semantic_median(vector, replace(flt, keys_in=None))
        if count >= MIN_CANDIDATES_FOR_MARGIN:
            for hit in hits:
                if hit.semantic_rank is not None:
                    hit.semantic_margin = hit.semantic_score - median
    return hits, ready, terms, None


def _stored_terms(keys: list[str]) -> list[dict[str, int]]:
    """The analysed terms of indexed documents (query expansion reads them; one query)."""
    stored = dict(SearchDocument.objects.filter(key__in=keys).values_list("key", "terms"))
    return [stored[key] for key in keys if key in stored]


def _explain(
    hits: list[Hit], user: Actor, terms_of: dict[str, list[str]], context_technologies: set[str]
) -> list[Result]:
    """Load the objects a person may see, in rank order, with shared terms, snippet and technologies.

    `terms_of` gives each hit the analysed terms of the query that found it; one query per kind, whatever the
    number of hits.
    """
    documents = {d.key: d for d in SearchDocument.objects.filter(key__in=[h.key for h in hits], deleted=False)}
    by_kind: dict[str, list[int]] = {}
    for hit in hits:
        kind, _sep, pk = hit.key.partition(":")
        by_kind.setdefault(kind, []).append(int(pk))
    visible = {kind: SOURCES[kind].visible(user, ids) for kind, ids in by_kind.items() if kind in SOURCES}
    results = []
    for hit in hits:
        kind, _sep, pk = hit.key.partition(":")
        obj = visible.get(kind, {}).get(int(pk))
        document = documents.get(hit.key)
        if obj is None or document is None:
            continue
        shared = [t for t in terms_of[hit.key] if t in document.terms]
        lexical = {t for t in shared if not t.startswith(SYNONYM_PREFIX) and _explains(t)}
        snippet, surface = _snippet(document, lexical)
        technologies = [
            str(Technology(code).label)
            for code in document.facets.get("technologies", [])
            if code in context_technologies and code in Technology.values
        ]
        source = SOURCES[kind]
        results.append(
            Result(
                kind=kind,
                obj=obj,
                hit=hit,
                title=source.label(obj),
                url=source.url(obj),
                snippet=snippet,
                key_terms=surface,
                synonyms=[synonym_label(t) for t in shared if t.startswith(SYNONYM_PREFIX)],
                technologies=technologies,
            )
        )
    return results


def _explains(term: str) -> bool:
    """Whether a shared term says something to a reader: no numbers, no fillers."""
    return not any(ch.isdigit() for ch in term) and len(term) > 2 and term not in EXPLANATION_NOISE


def candidate_median(hits: list[Hit]) -> float | None:
    """The median cosine of a query's semantic candidates, from which the relevance floors are measured; None
    with fewer than MIN_CANDIDATES_FOR_MARGIN of them (too few to tell a typical candidate)."""
    scores = sorted(h.semantic_score for h in hits if h.semantic_rank is not None)
    return scores[len(scores) // 2] if len(scores) >= MIN_CANDIDATES_FOR_MARGIN else None


def semantic_floor(hits: list[Hit]) -> float:
    """The similarity a hit found only by meaning needs for this query (see SEMANTIC_MARGIN)."""
    median = candidate_median(hits)
    return SEMANTIC_CLEAR if median is None else min(SEMANTIC_CLEAR, median + SEMANTIC_MARGIN)


def semantic_floors(hits: list[Hit]) -> dict[str, float]:
    """The floor of each kind of document among the hits."""
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.key.partition(":")[0], []).append(hit)
    return {kind: semantic_floor(group) for kind, group in by_kind.items()}


def relevant(hit: Hit, floor: float) -> bool:
    """Above the relevance floor: shares words with the query, or is close enough in meaning."""
    return hit.lexical_rank is not None or hit.semantic_score >= floor


def _snippet(document: SearchDocument, terms: set[str]) -> tuple[SafeString, list[str]]:
    """The passage with the most matching words, matches marked, and the matching words as written."""
    text = document.text
    tokens = words(text)
    language = analyzer(document.language)
    matched = [bool(terms.intersection(language.word_terms(m.group().lower()))) for m in tokens]
    first_spelling = {
        m.group().lower(): m.group() for m, hit in reversed(list(zip(tokens, matched, strict=True))) if hit
    }
    surface = list(
        dict.fromkeys(first_spelling[m.group().lower()] for m, hit in zip(tokens, matched, strict=True) if hit)
    )[:8]
    if not tokens:
        return mark_safe(""), surface
    best, best_count = 0, -1
    for start in range(0, max(1, len(tokens) - SNIPPET_WORDS + 1), 4):
        count = sum(matched[start : start + SNIPPET_WORDS])
        if count > best_count:
            best, best_count = start, count
    window = tokens[best : best + SNIPPET_WORDS]
    begin, end = window[0].start(), window[-1].end()
    parts = ["… " if begin > 0 else ""]
    cursor = begin
    for m, hit in zip(window, matched[best : best + SNIPPET_WORDS], strict=True):
        parts.append(escape(text[cursor : m.start()]))
        parts.append(f"<mark>{escape(m.group())}</mark>" if hit else escape(m.group()))
        cursor = m.end()
    parts.append(" …" if end < len(text) else "")
    return mark_safe("".join(parts)), surface  # noqa: S308 - every piece of text is escaped above


def search_hits(
    *, user: Actor, query: str, kind: str = "", mode: str = "hybrid", filters: SearchFilters | None = None
) -> Outcome:
    """The global search before explanation: ranked hits of every kind a person may see, counted per kind,
    then narrowed to `kind` if one is asked for."""
    outcome = Outcome(query=clean_query(query))
    hits, outcome.semantic_ready, outcome.terms, _expanded = _hits(
        user, query, kinds=allowed_kinds(user), filters=filters, mode=mode
    )
    floors = semantic_floors(hits)
    strong = {h.key for h in hits if relevant(h, floors[h.key.partition(":")[0]])}
    outcome.counts = dict(Counter(h.key.partition(":")[0] for h in hits if h.key in strong))
    of_kind = [h for h in hits if h.key.startswith(f"{kind}:")] if kind else hits
    outcome.hits = [h for h in of_kind if h.key in strong]
    outcome.weak = [h for h in of_kind if h.key not in strong]
    outcome.total = len(outcome.hits)
    return outcome


def ranker(*, user: Actor, kind: str) -> Callable[[str], list[int]]:
    """For a list's FilterSet (``core.filters``): the ids of one kind that match the search words above the
    relevance floor, best first. The board and the directories rank their search box with the same engine as the
    header search (compounds, synonyms, English; issue 17, D28)."""

    def ranked(query: str) -> list[int]:
        return [int(h.key.partition(":")[2]) for h in search_hits(user=user, query=query, kind=kind).hits]

    return ranked


def explain(*, user: Actor, outcome: Outcome, hits: list[Hit]) -> list[Result]:
    """Explain some of an outcome's hits (a page of them)."""
    return _explain(list(hits), user, dict.fromkeys((h.key for h in hits), outcome.terms), set())


def search(
    *,
    user: Actor,
    query: str,
    kind: str = "",
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    mode: str = "hybrid",
) -> Outcome:
    """The global search with one slice of it explained (the API's page)."""
    outcome = search_hits(user=user, query=query, kind=kind, mode=mode, filters=filters)
    outcome.results = explain(user=user, outcome=outcome, hits=outcome.hits[offset : offset + limit])
    return outcome


def _need_query(need: Any) -> str:
    return "\n".join(p for p in (need.title, need.problem, need.desired_outcome) if p)


def solutions_for_need(
    *, user: Actor, need: Any, filters: SearchFilters | None = None, limit: int = 10, kind: str = "solution"
) -> Outcome:
    """ "Passende Lösungen": solutions (or startups) for a need, explained by the need's own words and technologies.

    The whole need is expanded (`pipeline.expanded_search`): hits past the first ranking's head were found with
    words of the best matches added, and those words explain them.
    """
    query = _need_query(need)
    outcome = Outcome(query=query)
    hits, outcome.semantic_ready, terms, expanded = _hits(user, query, kinds=[kind], filters=filters, expand=True)
    outcome.total = len(hits)
    outcome.translated = bool(expanded and expanded.translated)
    fits = _fits_need(hits, outcome.semantic_ready, translated=outcome.translated)
    strong = [h for h in hits if h.key in fits]
    outcome.weak = [h for h in hits if h.key not in fits]
    shown = strong[:limit] + outcome.weak[: max(0, limit - len(strong))]
    by_expansion = expanded.by_expansion if expanded else frozenset()
    added = expanded.added if expanded else []
    terms_of = {h.key: [*terms, *added] if h.key in by_expansion else terms for h in shown}
    outcome.results = _explain(shown, user, terms_of, set(need.technologies))
    for result in outcome.results:
        result.less_relevant = result.hit.key not in fits
    return outcome


def _fits_need(hits: list[Hit], semantic_ready: bool, translated: bool = False) -> set[str]:
    """The hits of a need's matching that clear MATCH_MARGIN, or (with the need's words in English) are among the
    first MATCH_WORD_RANK by words. Without enough semantic candidates (no query vector, a tiny index) every hit
    counts; a hit found by words only counts while texts still wait for their embedding (its similarity is then
    unknown, not low)."""
    median = candidate_median(hits)
    if median is None:
        return {h.key for h in hits}
    floor = median + MATCH_MARGIN
    return {
        h.key
        for h in hits
        if (h.semantic_rank is not None and h.semantic_score >= floor)
        or (h.semantic_rank is None and not semantic_ready)
        or (translated and h.lexical_rank is not None and h.lexical_rank <= MATCH_WORD_RANK)
    }


def needs_for_startup(
    *,
    user: Actor,
    solutions: list[Any],
    limit: int = 10,
    keys_in: frozenset[str] | None = None,
    margins: bool = False,
) -> Outcome:
    """ "Passende Bedarfe": published needs for a startup; each solution asks on its own, the best score counts
    (with `margins`, each need also keeps the best margin any solution reached: the digest's measure)."""
    best: dict[str, Hit] = {}
    terms_of: dict[str, list[str]] = {}
    margin_of: dict[str, float] = {}
    ready = True
    for solution in solutions:
        query = f"{solution.name}\n{solution.description}"
        hits, semantic_ready, terms, _expanded = _hits(
            user, query, kinds=["need"], filters=None, public_only=True, keys_in=keys_in, depth=50, margins=margins
        )
        ready &= semantic_ready
        for hit in hits:
            if hit.semantic_margin is not None:
                margin_of[hit.key] = max(margin_of.get(hit.key, -1.0), hit.semantic_margin)
            if hit.key not in best or hit.score > best[hit.key].score:
                best[hit.key] = hit
                terms_of[hit.key] = terms
    for key, margin in margin_of.items():
        best[key].semantic_margin = margin
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.key))
    outcome = Outcome(query="", total=len(ranked), semantic_ready=ready)
    technologies = {t for s in solutions for t in s.technologies}
    outcome.results = _explain(ranked[:limit], user, terms_of, technologies)
    return outcome


def similar_needs(
    *, user: Actor, text: str, organisation_id: int | None, exclude_pk: int | None = None, limit: int = 5
) -> Outcome:
    """ "Ähnliche Bedarfe" while a need is written: needs of other authorities that say something similar."""
    outcome = Outcome(query=clean_query(text))
    if len(outcome.query) < 15:
        return outcome
    hits, outcome.semantic_ready, terms, _expanded = _hits(
        user, text, kinds=["need"], filters=None, exclude_organisation=organisation_id, depth=limit + 1
    )
    hits = [h for h in hits if h.key != f"need:{exclude_pk}"][:limit]
    results = _explain(hits, user, dict.fromkeys((h.key for h in hits), terms), set())
    outcome.results = [r for r in results if _close_enough(r, SIMILAR_NEEDS_MIN_SIMILARITY)]
    outcome.total = len(outcome.results)
    return outcome


def _close_enough(result: Result, min_similarity: float) -> bool:
    """Worth showing on its own: similar enough in meaning, or (not embedded yet) sharing several terms."""
    if result.hit.semantic_rank is not None:
        return result.hit.semantic_score >= min_similarity
    return len(result.key_terms) + len(result.synonyms) >= MIN_SHARED_TERMS


def pending_embeddings() -> QuerySet[SearchDocument]:
    """Documents whose current text has no embedding yet."""
    return SearchDocument.objects.filter(deleted=False).exclude(embedding_hash=F("content_hash"))


def index_lag_seconds() -> float:
    """How long the oldest document without its current embedding has waited (the metric of the index's lag)."""
    oldest = pending_embeddings().aggregate(oldest=Min("updated_at"))["oldest"]
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def index_status() -> dict[str, Any]:
    """How many documents exist per kind and how many still wait for their embedding (for the progress view)."""
    rows = (
        SearchDocument.objects.filter(deleted=False)
        .values("kind")
        .annotate(total=Count("pk"), ready=Count("pk", filter=Q(embedding_hash=F("content_hash"))))
        .order_by("kind")
    )
    kinds = [{"kind": Kind(r["kind"]).label, "total": r["total"], "embedded": r["ready"]} for r in rows]
    total = sum(r["total"] for r in kinds)
    embedded = sum(r["embedded"] for r in kinds)
    return {
        "kinds": kinds,
        "total": total,
        "embedded": embedded,
        "pending": total - embedded,
        "percent": math.floor(100 * embedded / total) if total else 100,
    }


def needs_for_digest(*, user: Actor, since: Any, min_similarity: float = DIGEST_MIN_SIMILARITY) -> list[Result]:
    """Needs published since the last digest that match the person's startup well enough to write about."""
    profile = DIGEST.own_profile(user)
    if profile is None:
        return []
    recent = frozenset(f"need:{pk}" for pk in DIGEST.published_since(since))
    if not recent:
        return []
    outcome = needs_for_startup(
        user=user, solutions=list(profile.solutions.all()), limit=20, keys_in=recent, margins=True
    )
    return [r for r in outcome.results if _worth_a_mail(r, min_similarity)]


def matches_need(
    *, user: Actor, solutions: list[Any], need_id: int, min_similarity: float = DIGEST_MIN_SIMILARITY
) -> bool:
    """Whether one published need matches these solutions as well as the digest asks."""
    outcome = needs_for_startup(
        user=user, solutions=solutions, limit=1, keys_in=frozenset({f"need:{need_id}"}), margins=True
    )
    return any(_worth_a_mail(r, min_similarity) for r in outcome.results)


def _worth_a_mail(result: Result, min_similarity: float) -> bool:
    """The digest's bar (DIGEST_MARGIN); the absolute `min_similarity` only where no margin could be taken."""
    if result.hit.semantic_margin is not None:
        return result.hit.semantic_margin >= DIGEST_MARGIN
    return _close_enough(result, min_similarity)


def digest_subscription(*, user: Actor, active_only: bool = False) -> DigestSubscription | None:
    if not user.is_authenticated:
        return None
    qs = DigestSubscription.objects.filter(user=user)
    return (qs.filter(active=True) if active_only else qs).first()


def digest_subscription_by_token(*, token: str) -> DigestSubscription | None:
    return DigestSubscription.objects.filter(token=token).first()
