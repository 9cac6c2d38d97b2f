from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination

from . import advisor, selectors

router = Router(tags=["procurement"])


Money = Field(Decimal(0), ge=0, le=10_000_000_000, decimal_places=2)


class AdviceIn(Schema):
    value: Decimal = Field(..., ge=0, le=10_000_000_000, decimal_places=2, description="Value of this order")
    body: Literal["subcentral", "central"] = Field(
        "subcentral", description="Kept for older clients; `jurisdiction` decides when given (bund = central)"
    )
    jurisdiction: Literal["hh", "hh_enterprise", "bund", "other_land"] | None = Field(
        None, description="Without it, a sub-central body below the EU threshold gets `needs_input`"
    )
    nature: Literal["services", "works", "social", "rd"] = "services"
    innovative: bool = False
    venture_client: bool = Field(False, description="GovTecHH involved; never assumed")
    on: date | None = Field(None, description="Day the procedure starts (§ 3 Abs. 3 VgV); today if empty")
    it_kind: Literal["", "saas", "services", "development", "licence_permanent", "licence_temporary"] = ""
    subject: Literal["new_technology", "digitalisation", "other"] | None = None
    term_months: int | None = Field(None, ge=1, le=600)
    options_value: Decimal = Money
    extensions_value: Decimal = Money
    follow_up_value: Decimal = Money
    call_offs_value: Decimal = Money
    market_available: bool | None = None
    rd_exclusive_results: bool | None = None
    rd_paid_in_full: bool | None = None


class LimitOut(Schema):
    key: str
    jurisdiction: str
    amount: Decimal
    source: str
    reference: str
    source_url: str
    valid_from: date
    valid_to: date | None
    checked_on: date | None


class SourceOut(Schema):
    key: str
    act: str
    reference: str
    url: str
    valid_from: date | None
    valid_to: date | None
    checked_on: date


class AdviceOut(Schema):
    procedure: str
    title: str
    rule: str
    reasons: list[str]
    alternatives: list[list[str]]
    notes: list[str]
    warnings: list[str]
    missing: list[str]
    unsettled: list[dict[str, str]]
    estimated_total: Decimal
    reference_date: date
    rules_version: str
    legal_status: date
    clause_ends: date | None
    limits_used: list[LimitOut]
    sources: list[SourceOut]
    contract: list[str] | None
    disclaimer: str


class ValueLimitOut(Schema):
    id: int
    key: str
    jurisdiction: str
    amount: Decimal
    valid_from: date
    valid_to: date | None
    source: str
    reference: str
    source_url: str
    checked_on: date | None
    max_term_months: int | None


@router.post("/procurement/advice", response=AdviceOut, summary="Procurement path advisor (guidance, not legal advice)")
def advise(request: SignedInRequest, payload: AdviceIn) -> Any:
    if not request.user.has_perm("procurement.use_advisor"):
        raise PermissionDenied
    data = payload.dict()
    data["on"] = data["on"] or timezone.localdate()
    data["subject"] = data["subject"] or ""
    data["jurisdiction"] = data["jurisdiction"] or ""
    result = selectors.advice_for(advisor.Question(**data))
    return {
        **vars(result),
        "alternatives": [list(a) for a in result.alternatives],
        "contract": list(result.contract) if result.contract else None,
    }


@router.get("/procurement/limits", response=list[ValueLimitOut], summary="Value limits with period and source")
@paginate(Pagination, page_size=50)
def list_limits(request: SignedInRequest) -> Any:
    return list(selectors.value_limits(user=request.user))
