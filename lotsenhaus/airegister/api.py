from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate
from pydantic import create_model

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.filters import query_schema
from lotsenhaus.organisations.selectors import organisation_get

from . import assessment as engine
from . import selectors, services
from .filters import RegisterFilterSet
from .models import AiType, UseCase, UseCaseStatus

router = Router(tags=["ai register"])


class UseCaseOut(Schema):
    id: int
    public_id: str
    name: str
    short_description: str
    status: UseCaseStatus
    ai_type: AiType
    publication: str
    version: int


class UseCaseIn(Schema):
    organisation_id: int
    name: str = Field(..., min_length=1, max_length=200)
    short_description: str = Field(..., min_length=1, max_length=350)
    status: UseCaseStatus = UseCaseStatus.IDEA
    ai_type: AiType = AiType.OTHER


class AssessmentIn(Schema):
    answers: dict[str, bool]
    justifications: dict[str, str] = Field(default_factory=dict)
    on: date | None = None


class AssessmentOut(Schema):
    risk_class: str
    rules_version: str
    assessed_on: date
    result: dict[str, Any]


class OrganisationRefOut(Schema):
    id: str
    name: str
    parent_id: str | None = None


def _record_field(name: str) -> Any:
    """The type of one published field, from the model field it is copied from (services.public_record)."""
    field = UseCase._meta.get_field(name)
    kind = field.get_internal_type()
    python: Any = {"BooleanField": bool, "DateField": date}.get(kind, str)
    choices = {"status": UseCaseStatus, "ai_type": AiType}
    return (choices.get(name, python) | None, Field(None, description=str(getattr(field, "verbose_name", name))))


# One published record as the open data carry it (the JSON export's "records"); records published before a field
# existed lack it (null).
RegisterRecordOut: Any = create_model(
    "RegisterRecordOut",
    __base__=Schema,
    id=(str, Field(..., description="Stable register number KI-<year>-<nnnn>")),
    url=(str, Field(..., description="Permanent address of the record")),
    organisation=(OrganisationRefOut, ...),
    need_url=(str | None, None),
    risk_class=(str | None, Field(None, description="AI Act class of the latest assessment")),
    rules_version=(str | None, None),
    legal_status=(date | None, None),
    approved_by_authority=(bool | None, None),
    approval_note=(str | None, None),
    assessed_on=(date | None, None),
    **{name: _record_field(name) for name in services.PUBLIC_FIELDS},
)


class RegisterFilters(query_schema(RegisterFilterSet, "RegisterFilterSchema")):  # type: ignore[misc]
    """The public register's filters, generated from its FilterSet (core.filters): the same as on the page."""


@router.get(
    "/ai-register", response=list[RegisterRecordOut], auth=None, summary="Published register records (open data)"
)
@paginate(Pagination, page_size=50)
def public_register(request: HttpRequest, filters: Query[RegisterFilters]) -> Any:
    return selectors.register_latest_records(filters=filters.dict(exclude_none=True))


class QuestionOut(Schema):
    key: str
    section: str
    article: str
    source: str
    question: str
    applies_from: date | None = None


class QuestionsOut(Schema):
    version: str
    legal_status: date
    disclaimer: str
    sources: dict[str, dict[str, Any]]
    questions: list[QuestionOut]
    retired_questions: dict[str, dict[str, Any]]


@router.get(
    "/ai-register/questions",
    response=QuestionsOut,
    auth=None,
    summary="The AI Act questionnaire: every key with its article and source, and the rule version",
)
def questions(request: HttpRequest) -> dict[str, Any]:
    rules = engine.load_rules()
    dates = rules["dates"]
    return {
        "version": rules["version"],
        "legal_status": rules["legal_status"],
        "disclaimer": rules["disclaimer"],
        "sources": rules["sources"],
        "questions": [
            {**item, "applies_from": dates[item["from"]] if "from" in item else None} for item in rules["questions"]
        ],
        "retired_questions": rules.get("retired_questions", {}),
    }


class EngineIn(Schema):
    answers: dict[str, bool]
    on: date


class DutyOut(Schema):
    key: str
    article: str
    text: str
    binds: str
    applies_from: date
    applies_now: bool
    source: str


class EngineOut(Schema):
    risk_class: str
    route: list[str]
    reasons: list[list[str]]
    duties: list[DutyOut]
    registration: str | None
    role: str
    exceptions: list[str]
    unsettled: list[dict[str, Any]]
    rules_version: str
    legal_status: date
    disclaimer: str


@router.post(
    "/ai-act/assessment",
    response={200: EngineOut},
    auth=None,
    summary="The AI Act engine without storing anything: answers and a date in, class, route and duties out",
)
def ai_act_assessment(request: HttpRequest, payload: EngineIn) -> Any:
    try:
        result = engine.assess(payload.answers, payload.on)
    except ValueError as exc:
        raise ApplicationError(str(exc), code="invalid_value") from exc
    return {
        **vars(result),
        "reasons": [list(reason) for reason in result.reasons],
        "disclaimer": engine.load_rules()["disclaimer"],
    }


@router.get("/use-cases", response=list[UseCaseOut], summary="Use cases you may work on")
@paginate(Pagination, page_size=50)
def list_use_cases(request: SignedInRequest) -> Any:
    if not request.user.has_perm("airegister.use_workspace"):
        return []
    return list(selectors.workspace(user=request.user))


@router.post("/use-cases", response={201: UseCaseOut})
def create_use_case(request: SignedInRequest, payload: UseCaseIn) -> Any:
    data = payload.dict()
    organisation = organisation_get(user=request.user, pk=data.pop("organisation_id"))
    return HttpStatus(201, services.use_case_create(actor=request.user, organisation=organisation, **data))


@router.post("/use-cases/{use_case_id}/assessments", response={201: AssessmentOut})
def assess_use_case(request: SignedInRequest, use_case_id: int, payload: AssessmentIn) -> Any:
    use_case = selectors.use_case_get(user=request.user, pk=use_case_id)
    record = services.assessment_create(actor=request.user, use_case=use_case, **payload.dict())
    return HttpStatus(201, record)
