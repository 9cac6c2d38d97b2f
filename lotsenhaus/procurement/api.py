from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from . import advisor, selectors

router = Router(tags=["procurement"])


class AdviceIn(Schema):
    value: Decimal = Field(..., ge=0, le=10_000_000_000, decimal_places=2)
    body: Literal["subcentral", "central"] = "subcentral"
    nature: Literal["services", "works", "social", "rd"] = "services"
    innovative: bool = False
    venture_client: bool = True
    on: date | None = None
    it_kind: Literal["", "saas", "services", "development", "licence_permanent", "licence_temporary"] = ""


class LimitOut(Schema):
    key: str
    amount: Decimal
    source: str
    valid_from: date
    valid_to: date | None


class AdviceOut(Schema):
    procedure: str
    title: str
    rule: str
    reasons: list[str]
    alternatives: list[list[str]]
    notes: list[str]
    limits_used: list[LimitOut]
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
    source_url: str


@router.post("/procurement/advice", response=AdviceOut, summary="Procurement path advisor (guidance, not legal advice)")
def advise(request: HttpRequest, payload: AdviceIn) -> Any:
    if not request.user.has_perm("procurement.use_advisor"):
        raise PermissionDenied
    data = payload.dict()
    data["on"] = data["on"] or timezone.localdate()
    result = selectors.advice_for(advisor.Question(**data))
    return {
        **vars(result),
        "alternatives": [list(a) for a in result.alternatives],
        "contract": list(result.contract) if result.contract else None,
    }


@router.get("/procurement/limits", response=list[ValueLimitOut], summary="Value limits with period and source")
def list_limits(request: HttpRequest) -> Any:
    return list(selectors.value_limits(user=request.user))
