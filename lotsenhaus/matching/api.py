from typing import Any, Literal

from django.http import HttpRequest
from django.utils.html import strip_tags
from ninja import Field, Query, Router, Schema

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.accounts.api_auth import OPTIONAL_AUTH
from lotsenhaus.core.api import offset_link
from lotsenhaus.core.validation import require_permission

from . import selectors
from .selectors import Outcome, Result, SearchFilters

router = Router(tags=["search and matching"])


class HitOut(Schema):
    kind: str
    id: int
    title: str
    url: str
    score: float
    found_by: Literal["both", "lexical", "semantic"]
    lexical_rank: int | None
    semantic_rank: int | None
    key_terms: list[str]
    synonyms: list[str]
    technologies: list[str]
    snippet: str
    less_relevant: bool = Field(False, description="Below the relevance floor of this surface (listed last)")


class SearchOut(Schema):
    """The API's one list shape (count, next, previous, results; see core.api.Pagination) with what a search adds."""

    count: int = Field(..., description="Hits in all, over all pages")
    next: str | None = Field(None, description="Absolute link to the next hits; null on the last page")
    previous: str | None = Field(None, description="Absolute link to the previous hits; null on the first page")
    results: list[HitOut]
    query: str
    counts: dict[str, int]
    semantic_ready: bool
    less_relevant: int = Field(
        0,
        description="Hits below the relevance floor: the search does not list them; matching solutions for a "
        "need lists them after the others, flagged (docs/matching.md)",
    )
    translated: bool = Field(
        False,
        description="Matching solutions for a need: its German words were also searched in English (a dictionary is "
        "installed), so key_terms may be English words",
    )


class SearchParams(Schema):
    q: str = Field("", max_length=10_000)
    kind: Literal["", "need", "startup", "solution", "article"] = ""
    mode: Literal["hybrid", "lexical", "semantic"] = "hybrid"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1000)
    min_maturity: int | None = Field(None, ge=0, le=3)
    hosting_any: int = Field(0, ge=0, le=255)
    deployment_any: int = Field(0, ge=0, le=255)
    certifications_all: int = Field(0, ge=0, le=255)
    max_budget: float | None = Field(None, ge=0)


class SimilarIn(Schema):
    text: str = Field(..., max_length=10_000)
    exclude_need_id: int | None = None


def _item(result: Result) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "id": result.obj.pk,
        "title": result.title,
        "url": result.url,
        "score": round(result.hit.score, 6),
        "found_by": result.hit.found_by,
        "lexical_rank": result.hit.lexical_rank,
        "semantic_rank": result.hit.semantic_rank,
        "key_terms": result.key_terms,
        "synonyms": result.synonyms,
        "technologies": result.technologies,
        "snippet": strip_tags(str(result.snippet)),
        "less_relevant": result.less_relevant,
    }


def search_out(outcome: Outcome, request: HttpRequest | None = None, limit: int = 0, offset: int = 0) -> dict[str, Any]:
    """A search's hits in the API's list shape; ``request`` (with ``limit`` and ``offset``) gives the page links."""
    more = request is not None and offset + limit < outcome.total
    return {
        "count": outcome.total,
        "next": offset_link(request, offset=offset + limit, limit=limit) if request is not None and more else None,
        "previous": offset_link(request, offset=max(0, offset - limit), limit=limit)
        if request is not None and offset > 0
        else None,
        "results": [_item(r) for r in outcome.results],
        "query": outcome.query,
        "counts": outcome.counts,
        "semantic_ready": outcome.semantic_ready,
        "less_relevant": len(outcome.weak),
        "translated": outcome.translated,
    }


@router.get(
    "/search", response=SearchOut, auth=OPTIONAL_AUTH, summary="Search needs, startups, solutions and articles (hybrid)"
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    filters = SearchFilters(
        min_maturity=params.min_maturity,
        hosting_any=params.hosting_any,
        deployment_any=params.deployment_any,
        certifications_all=params.certifications_all,
        max_budget=params.max_budget,
    )
    outcome = selectors.search(
        user=request.user,
        query=params.q,
        kind=params.kind,
        filters=filters,
        limit=params.limit,
        offset=params.offset,
        mode=params.mode,
    )
    return search_out(outcome, request, limit=params.limit, offset=params.offset)


class KindStatusOut(Schema):
    kind: str
    total: int
    embedded: int


class IndexStatusOut(Schema):
    kinds: list[KindStatusOut]
    total: int
    embedded: int
    pending: int
    percent: int


@router.get("/search/status", response=IndexStatusOut, summary="Documents in the index and embeddings still pending")
def status(request: SignedInRequest) -> dict[str, Any]:
    require_permission(request.user, "matching.view_index_status")
    data = selectors.index_status()
    data["kinds"] = [{**row, "kind": str(row["kind"])} for row in data["kinds"]]
    return data
