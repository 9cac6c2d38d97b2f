"""Pilots and the portfolio over the API, with the same services and rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import CreatedOut, Pagination
from lotsenhaus.exploration.selectors import shortlist
from lotsenhaus.needs.selectors import need_get
from lotsenhaus.organisations.selectors import organisation_list

from . import portfolio, selectors, services
from .models import Kpi, PilotStatus

router = Router(tags=["pilots"])


class PilotOut(Schema):
    id: int
    need_id: int
    need: str
    startup: str
    status: str
    version: int
    goal: str
    start_date: date | None
    end_date: date | None
    budget: Decimal | None
    estimated_value: Decimal | None
    advice: dict[str, Any]
    missing_before_start: list[str]

    @staticmethod
    def resolve_need(obj: Any) -> str:
        return obj.need.title

    @staticmethod
    def resolve_startup(obj: Any) -> str:
        return obj.startup.organisation.name

    @staticmethod
    def resolve_missing_before_start(obj: Any) -> list[str]:
        return services.missing_before_start(obj) if obj.status == PilotStatus.DESIGN else []


class PilotListOut(Schema):
    id: int
    need_id: int
    need: str
    startup: str
    status: str
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_need(obj: Any) -> str:
        return obj.need.title

    @staticmethod
    def resolve_startup(obj: Any) -> str:
        return obj.startup.organisation.name


class PilotCreateIn(Schema):
    candidate_id: int


class PilotPatch(Schema):
    version: int
    goal: str | None = Field(None, max_length=3000)
    hypotheses: str | None = Field(None, max_length=3000)
    scope: str | None = Field(None, max_length=3000)
    start_date: date | None = None
    end_date: date | None = None
    budget: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2)
    purchase_order: str | None = Field(None, max_length=100)
    exit_criteria: str | None = Field(None, max_length=3000)
    estimated_value: Decimal | None = Field(None, ge=0, le=10_000_000_000, decimal_places=2)
    contracting_body: Literal["subcentral", "central"] | None = None
    jurisdiction: Literal["hh", "hh_enterprise", "bund", "other_land"] | None = None
    subject_matter: Literal["new_technology", "digitalisation", "other"] | None = None
    options_value: Decimal | None = Field(None, ge=0, le=10_000_000_000, decimal_places=2)
    follow_up_value: Decimal | None = Field(None, ge=0, le=10_000_000_000, decimal_places=2)
    procedure_start: date | None = None
    market_available: bool | None = None
    rd_exclusive_results: bool | None = None
    rd_paid_in_full: bool | None = None
    work_nature: Literal["services", "works", "social", "rd"] | None = None
    innovative: bool | None = None
    venture_client: bool | None = None
    it_kind: Literal["", "saas", "services", "development", "licence_permanent", "licence_temporary"] | None = None
    procedure_reason: str | None = Field(None, max_length=3000)
    avv_done: bool | None = None
    dpia: Literal["", "yes", "no"] | None = None
    dpia_done: bool | None = None
    hosting_checked: bool | None = None
    certifications_checked: bool | None = None
    accessibility_checked: bool | None = None
    uses_ai: bool | None = None


class KpiIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field("", max_length=50)
    baseline: Decimal = Field(..., ge=-1_000_000_000, le=1_000_000_000, decimal_places=2)
    target: Decimal = Field(..., ge=-1_000_000_000, le=1_000_000_000, decimal_places=2)


class MeasurementIn(Schema):
    measured_on: date
    value: Decimal = Field(..., ge=-1_000_000_000, le=1_000_000_000, decimal_places=2)
    note: str = Field("", max_length=300)


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date


class ReportIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class DecisionIn(Schema):
    decision: Literal["adopt", "scale", "extend", "end"]
    reasons: str = Field(..., min_length=1, max_length=5000)
    scale_to: list[int] = Field(default_factory=list, max_length=100)
    new_end_date: date | None = None


class DecisionOut(Schema):
    id: int
    decision: str
    reasons: str
    new_end_date: date | None
    evidence: list[dict[str, Any]]
    decided_at: datetime


@router.get("/pilots", response=list[PilotListOut], summary="Pilots you may see")
@paginate(Pagination, page_size=50)
def list_pilots(request: SignedInRequest) -> Any:
    if not request.user.has_perm("pilots.list_pilots"):
        raise PermissionDenied
    return list(selectors.pilot_list(user=request.user))


@router.get("/pilots/{pilot_id}", response=PilotOut)
def get_pilot(request: SignedInRequest, pilot_id: int) -> Any:
    return selectors.pilot_get(user=request.user, pk=pilot_id)


@router.post("/needs/{need_id}/pilot", response={201: PilotOut}, summary="Design the pilot")
def create_pilot(request: SignedInRequest, need_id: int, payload: PilotCreateIn) -> Any:
    need = need_get(user=request.user, pk=need_id)
    candidate = get_object_or_404(shortlist(need=need), pk=payload.candidate_id)
    return HttpStatus(201, services.pilot_create(actor=request.user, need=need, candidate=candidate))


@router.patch("/pilots/{pilot_id}", response=PilotOut, summary="Canvas, procurement path, checklists")
def update_pilot(request: SignedInRequest, pilot_id: int, payload: PilotPatch) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    nullable = {"start_date", "end_date", "budget", "estimated_value"}
    data = {k: v for k, v in data.items() if v is not None or k in nullable}
    return services.pilot_update(actor=request.user, pilot=pilot, version=version, **data)


@router.post("/pilots/{pilot_id}/start", response=PilotOut)
def start_pilot(request: SignedInRequest, pilot_id: int) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    return services.pilot_start(actor=request.user, pilot=pilot)


@router.post("/pilots/{pilot_id}/kpis", response={201: CreatedOut})
def add_kpi(request: SignedInRequest, pilot_id: int, payload: KpiIn) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    return HttpStatus(201, {"id": services.kpi_add(actor=request.user, pilot=pilot, **payload.dict()).pk})


class SavedOut(Schema):
    saved: bool


@router.post("/kpis/{kpi_id}/measurements", response={201: SavedOut})
def add_measurement(request: SignedInRequest, kpi_id: int, payload: MeasurementIn) -> Any:
    kpi = get_object_or_404(Kpi.objects.select_related("pilot__need", "pilot__startup"), pk=kpi_id)
    selectors.pilot_get(user=request.user, pk=kpi.pilot_id)
    services.measurement_record(actor=request.user, kpi=kpi, **payload.dict())
    return HttpStatus(201, {"saved": True})


@router.post("/pilots/{pilot_id}/milestones", response={201: CreatedOut})
def add_milestone(request: SignedInRequest, pilot_id: int, payload: MilestoneIn) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    return HttpStatus(201, {"id": services.milestone_add(actor=request.user, pilot=pilot, **payload.dict()).pk})


@router.post("/pilots/{pilot_id}/reports", response={201: CreatedOut}, summary="Status report")
def add_report(request: SignedInRequest, pilot_id: int, payload: ReportIn) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    return HttpStatus(201, {"id": services.status_report_add(actor=request.user, pilot=pilot, text=payload.text).pk})


@router.post("/pilots/{pilot_id}/decision", response={201: DecisionOut}, summary="Adopt, scale, extend or end")
def decide(request: SignedInRequest, pilot_id: int, payload: DecisionIn) -> Any:
    pilot = selectors.pilot_get(user=request.user, pk=pilot_id)
    data = payload.dict()
    data["scale_to"] = list(organisation_list(user=request.user).filter(pk__in=data["scale_to"]))
    return HttpStatus(201, services.pilot_decide(actor=request.user, pilot=pilot, **data))


class FunnelOut(Schema):
    state: str
    needs: int


class DurationOut(Schema):
    state: str
    median_days: float | None
    stays: int


class ConversionOut(Schema):
    step: str
    reached: int
    of: int
    rate_percent: float | None


class ShareOut(Schema):
    name: str
    pilots: int
    adopted: int


class PortfolioOut(Schema):
    funnel: list[FunnelOut]
    median_days: list[DurationOut]
    conversion: list[ConversionOut]
    by_authority: list[ShareOut]
    by_technology: list[ShareOut]
    by_startup: list[ShareOut]


@router.get("/portfolio", response=PortfolioOut, summary="Portfolio figures of the unit")
def get_portfolio(request: SignedInRequest) -> Any:
    if not request.user.has_perm("pilots.view_portfolio"):
        raise PermissionDenied
    data = portfolio.figures()
    return {
        "funnel": [{"state": s, "needs": n} for s, n in data.funnel],
        "median_days": [{"state": s, "median_days": d, "stays": n} for s, d, n in data.durations],
        "conversion": [{"step": k, "reached": p, "of": w, "rate_percent": r} for k, p, w, r in data.conversion],
        "by_authority": [{"name": a, "pilots": n, "adopted": d} for a, n, d in data.by_authority],
        "by_technology": [{"name": a, "pilots": n, "adopted": d} for a, n, d in data.by_technology],
        "by_startup": [{"name": a, "pilots": n, "adopted": d} for a, n, d in data.by_startup],
    }
