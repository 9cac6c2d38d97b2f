"""Market exploration over the API: the same services and permissions as the workspace."""

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import CreatedOut, Pagination
from lotsenhaus.core.filters import query_schema
from lotsenhaus.core.selectors import stored_documents
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.startups.selectors import startup_get

from . import report, selectors, services
from .filters import CandidateFilterSet
from .models import Candidate, Exploration

router = Router(tags=["market exploration"])


class CandidateOut(Schema):
    id: int
    startup_id: int
    startup: str
    solution: str | None
    source: str
    status: str
    exclusion_reason: str
    note: str
    version: int

    @staticmethod
    def resolve_startup(obj: Candidate) -> str:
        return obj.startup.organisation.name

    @staticmethod
    def resolve_solution(obj: Candidate) -> str | None:
        return obj.solution.name if obj.solution else None


class ExplorationOut(Schema):
    id: int
    need_id: int
    started_at: date
    ended_at: date | None
    method: str
    recommendation: str
    recommendation_reasons: str
    version: int
    candidates: list[CandidateOut]
    unshared_answers: int


class ExplorationPatch(Schema):
    version: int
    method: str | None = Field(None, max_length=5000)
    ended_at: date | None = None
    recommendation: str | None = Field(None, max_length=5000)
    recommendation_reasons: str | None = Field(None, max_length=5000)


class CandidateIn(Schema):
    startup_id: int
    note: str = Field("", max_length=3000)


class SuggestionsIn(Schema):
    limit: int = Field(10, ge=1, le=50)
    solution_ids: list[int] | None = Field(
        None,
        description="Take only these of the suggested solutions (as previewed by GET /api/v1/needs/{id}/"
        "matching-solutions); without it, all suggestions up to the limit.",
    )


class CandidatePatch(Schema):
    version: int
    status: Literal["open", "contacted", "talked", "excluded", "shortlist"] | None = None
    exclusion_reason: str | None = Field(None, max_length=3000)
    note: str | None = Field(None, max_length=3000)


class ContactIn(Schema):
    happened_on: date
    channel: Literal["phone", "email", "video", "meeting", "event", "other"]
    participants: str = Field(..., min_length=1, max_length=300)
    summary: str = Field(..., min_length=1, max_length=5000)


class ReportOut(Schema):
    id: int
    version: int
    title: str
    pdf_url: str
    docx_url: str
    pdf_sha256: str
    docx_sha256: str


def _exploration(request: HttpRequest, need_id: int) -> Exploration:
    need = need_get(user=request.user, pk=need_id)
    exploration = selectors.exploration_of(user=request.user, need=need)
    if exploration is None:
        raise Http404
    return exploration


def _out(exploration: Exploration) -> dict[str, Any]:
    return {
        **{f: getattr(exploration, f) for f in ("id", "need_id", "started_at", "ended_at", "method", "version")},
        "recommendation": exploration.recommendation,
        "recommendation_reasons": exploration.recommendation_reasons,
        "candidates": list(selectors.candidates(exploration=exploration)),
        "unshared_answers": selectors.unshared_answer_count(exploration=exploration),
    }


def _report_out(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "version": document.version,
        "title": document.title,
        "pdf_url": reverse("exploration:report_download", args=[document.pk, "pdf"]),
        "docx_url": reverse("exploration:report_download", args=[document.pk, "docx"]),
        "pdf_sha256": document.pdf_sha256,
        "docx_sha256": document.docx_sha256,
    }


@router.get("/needs/{need_id}/exploration", response=ExplorationOut, summary="The market exploration")
def get_exploration(request: SignedInRequest, need_id: int) -> Any:
    return _out(_exploration(request, need_id))


@router.post("/needs/{need_id}/exploration", response={201: ExplorationOut}, summary="Start it")
def start_exploration(request: SignedInRequest, need_id: int) -> Any:
    need = need_get(user=request.user, pk=need_id)
    return HttpStatus(201, _out(services.exploration_start(actor=request.user, need=need)))


@router.patch("/needs/{need_id}/exploration", response=ExplorationOut)
def update_exploration(request: SignedInRequest, need_id: int, payload: ExplorationPatch) -> Any:
    exploration = _exploration(request, need_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: ("" if v is None and k != "ended_at" else v) for k, v in data.items()}
    return _out(services.exploration_update(actor=request.user, exploration=exploration, version=version, **data))


@router.post("/needs/{need_id}/exploration/candidates", response={201: CandidateOut})
def add_candidate(request: SignedInRequest, need_id: int, payload: CandidateIn) -> Any:
    exploration = _exploration(request, need_id)
    startup = startup_get(user=request.user, pk=payload.startup_id)
    return HttpStatus(
        201, services.candidate_add(actor=request.user, exploration=exploration, startup=startup, note=payload.note)
    )


@router.post("/needs/{need_id}/exploration/suggestions", response=ExplorationOut)
def add_suggestions(request: SignedInRequest, need_id: int, payload: SuggestionsIn) -> Any:
    exploration = _exploration(request, need_id)
    services.candidates_add_suggestions(
        actor=request.user, exploration=exploration, limit=payload.limit, chosen=payload.solution_ids
    )
    return _out(exploration)


@router.patch("/candidates/{candidate_id}", response=CandidateOut, summary="Status, exclusion reason, note")
def update_candidate(request: SignedInRequest, candidate_id: int, payload: CandidatePatch) -> Any:
    candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v if v is not None else "" for k, v in data.items()}
    return services.candidate_update(actor=request.user, candidate=candidate, version=version, **data)


@router.post("/candidates/{candidate_id}/contacts", response={201: CreatedOut}, summary="Log a contact")
def add_contact(request: SignedInRequest, candidate_id: int, payload: ContactIn) -> Any:
    candidate = selectors.candidate_get(user=request.user, pk=candidate_id)
    contact = services.contact_add(actor=request.user, candidate=candidate, **payload.dict())
    return HttpStatus(201, {"id": contact.pk})


class CandidateFilters(query_schema(CandidateFilterSet, "CandidateFilterSchema")):  # type: ignore[misc]
    """The long list's filters, generated from its FilterSet (core.filters): the same as in the workspace."""


@router.get("/needs/{need_id}/exploration/candidates", response=list[CandidateOut], summary="The long list")
@paginate(Pagination, page_size=50)
def list_candidates(request: SignedInRequest, need_id: int, filters: Query[CandidateFilters]) -> Any:
    exploration = _exploration(request, need_id)
    return selectors.candidates(exploration=exploration, filters=filters.dict(exclude_none=True))


@router.get("/needs/{need_id}/exploration/reports", response=list[ReportOut])
@paginate(Pagination, page_size=50)
def list_reports(request: SignedInRequest, need_id: int) -> Any:
    exploration = _exploration(request, need_id)
    return [_report_out(d) for d in stored_documents(kind=report.KIND, obj=exploration)]


@router.post("/needs/{need_id}/exploration/reports", response={201: ReportOut}, summary="Write a new version")
def generate_report(request: SignedInRequest, need_id: int) -> Any:
    exploration = _exploration(request, need_id)
    return HttpStatus(201, _report_out(services.report_generate(actor=request.user, exploration=exploration)))
