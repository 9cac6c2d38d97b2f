from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.accounts.api_auth import OPTIONAL_AUTH
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.filters import query_schema
from lotsenhaus.core.validation import require_permission
from lotsenhaus.core.vocabulary import Technology
from lotsenhaus.matching import selectors as matching
from lotsenhaus.matching.api import SearchOut, SimilarIn, search_out
from lotsenhaus.organisations.selectors import organisation_get
from lotsenhaus.startups.models import Solution

from . import selectors, services
from .filters import NeedFilterSet, PipelineFilterSet
from .models import Answer, Need, PolicyField, ProtectionClass, Status
from .rules import INTERNAL_NEEDS

router = Router(tags=["needs"])


class NeedOut(Schema):
    id: int
    title: str
    status: Status
    organisation: str | None
    problem: str
    desired_outcome: str
    policy_field: str
    technologies: list[str]
    answer_deadline: date | None
    published_at: datetime | None
    version: int

    @staticmethod
    def resolve_organisation(obj: Need, context: Any) -> str | None:
        if obj.hide_organisation:
            # Lists carry the answer (INTERNAL_NEEDS.annotate); a single need asks the rule.
            internal = getattr(obj, "internal_visible", None)
            if internal is None:
                internal = context["request"].user.has_perm("needs.view_internal", obj)
            if not internal:
                return None
        return obj.organisation.name

    @staticmethod
    def resolve_technologies(obj: Need) -> list[str]:
        return obj.technologies


class NeedIn(Schema):
    organisation_id: int
    title: str = Field(..., min_length=1, max_length=200)
    problem: str = Field("", max_length=5000)
    desired_outcome: str = Field("", max_length=5000)
    protection_class: ProtectionClass | Literal[""] = ""
    policy_field: PolicyField | Literal[""] = ""
    technologies: list[Technology] = Field(default_factory=list, max_length=len(Technology.values))
    budget_min: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2)
    budget_max: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2)


class NeedPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    problem: str | None = Field(None, max_length=5000)
    desired_outcome: str | None = Field(None, max_length=5000)
    protection_class: ProtectionClass | None = None
    policy_field: PolicyField | None = None
    technologies: list[Technology] | None = None
    contact_name: str | None = Field(None, max_length=150)
    contact_email: str | None = Field(None, max_length=254)
    answer_deadline: date | None = None


class TransitionIn(Schema):
    action: Literal[
        "submit", "return", "publish", "start_exploration", "start_evaluation", "start_pilot", "close", "withdraw"
    ]
    comment: str = Field("", max_length=5000)
    answer_deadline: date | None = None


class BoardFilters(query_schema(NeedFilterSet, "NeedFilters")):  # type: ignore[misc]  # a generated base
    """The board's and the workspace's filters, generated from their FilterSet (core.filters), and the scope."""

    scope: Literal["public", "workspace"] = Field("public", description="The public board, or your workspace")


class PipelineFilters(query_schema(PipelineFilterSet, "PipelineFilterSchema")):  # type: ignore[misc]
    """The pipeline overview's filters, generated from its FilterSet (core.filters): the same as on the page."""


class PipelineRowOut(Schema):
    """One need as the unit's pipeline overview lists it."""

    id: int
    title: str
    status: Status
    organisation: str
    owner: str | None
    coordinator: str | None = Field(None, description="E-mail address of the need's coordinator")
    stage_since: datetime = Field(..., description="When the need entered its present stage")
    answer_deadline: date | None
    next_action: str = Field(..., description="What has to happen next, in the reader's language")

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.email if obj.owner else None

    @staticmethod
    def resolve_coordinator(obj: Any) -> str | None:
        return obj.coordinator.email if obj.coordinator else None

    @staticmethod
    def resolve_next_action(obj: Any) -> str:
        return selectors.next_action(obj)


@router.get("/pipeline", response=list[PipelineRowOut], summary="The unit's pipeline: every need in every stage")
@paginate(Pagination, page_size=50)
def list_pipeline(request: SignedInRequest, filters: Query[PipelineFilters]) -> Any:
    """Longest in its stage first unless ``sort`` says otherwise; ``coordinator`` is ``me``, ``none`` or an id."""
    return selectors.pipeline_list(user=request.user, filters=filters.dict(exclude_none=True))


@router.get("/needs", response=list[NeedOut], auth=OPTIONAL_AUTH, summary="Needs: the public board, or your workspace")
@paginate(Pagination, page_size=25)
def list_needs(request: HttpRequest, filters: Query[BoardFilters]) -> Any:
    data = filters.dict(exclude_none=True)
    if data.pop("scope") == "workspace":
        if not request.user.is_authenticated:
            raise PermissionDenied
        needs = selectors.need_workspace(user=request.user, filters=data)
    else:
        needs = selectors.need_board(filters=data)
    return INTERNAL_NEEDS.annotate(needs, request.user, "internal_visible")


@router.get("/needs/{need_id}", response=NeedOut, auth=OPTIONAL_AUTH)
def get_need(request: HttpRequest, need_id: int) -> Need:
    return selectors.need_get(user=request.user, pk=need_id)


@router.post("/needs", response={201: NeedOut})
def create_need(request: SignedInRequest, payload: NeedIn) -> Any:
    data = payload.dict()
    organisation = organisation_get(user=request.user, pk=data.pop("organisation_id"))
    return HttpStatus(201, services.need_create(actor=request.user, organisation=organisation, **data))


@router.patch("/needs/{need_id}", response=NeedOut)
def update_need(request: SignedInRequest, need_id: int, payload: NeedPatch) -> Need:
    need = selectors.need_get(user=request.user, pk=need_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: ("" if v is None and k != "answer_deadline" else v) for k, v in data.items()}
    return services.need_update(actor=request.user, need=need, version=version, **data)


@router.post("/needs/{need_id}/transitions", response=NeedOut)
def transition_need(request: SignedInRequest, need_id: int, payload: TransitionIn) -> Need:
    need = selectors.need_get(user=request.user, pk=need_id)
    return services.need_transition(actor=request.user, need=need, **payload.dict())


class AnswerOut(Schema):
    id: int
    need_id: int
    startup_id: int
    startup: str
    solution_id: int | None
    status: str
    approach: str
    references: str
    cost_estimate: Decimal | None
    duration_weeks: int | None
    version: int

    @staticmethod
    def resolve_startup(obj: Answer) -> str:
        return obj.startup.organisation.name


class AnswerIn(Schema):
    approach: str = Field(..., min_length=1, max_length=5000)
    references: str = Field("", max_length=3000)
    solution_id: int | None = None
    cost_estimate: Decimal | None = Field(None, ge=0, le=100_000_000, decimal_places=2)
    duration_weeks: int | None = Field(None, ge=0, le=520)
    version: int | None = None


@router.get("/needs/{need_id}/answers", response=list[AnswerOut], summary="Answers (authority and unit only)")
@paginate(Pagination, page_size=50)
def list_answers(request: SignedInRequest, need_id: int) -> Any:
    need = selectors.need_get(user=request.user, pk=need_id)
    return list(selectors.need_answers(user=request.user, need=need))


@router.put("/needs/{need_id}/answer", response=AnswerOut, summary="Your startup's answer: create or change")
def put_answer(request: SignedInRequest, need_id: int, payload: AnswerIn) -> Answer:
    need = selectors.need_get(user=request.user, pk=need_id)
    data = payload.dict()
    solution_id = data.pop("solution_id")
    solution = Solution.objects.filter(pk=solution_id).first() if solution_id else None
    if solution_id and solution is None:
        raise ApplicationError(_("Please choose one of your own solutions."), field="solution_id", code="not_allowed")
    return services.answer_save(actor=request.user, need=need, solution=solution, **data)


class CallOut(Schema):
    id: int
    title: str
    theme: str
    deadline: date
    status: str
    need_ids: list[int]

    @staticmethod
    def resolve_need_ids(obj: Any, context: Any) -> list[int]:
        return [c.pk for c in selectors.call_needs(user=context["request"].user, call=obj)]


class CallIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    theme: str = Field(..., min_length=1, max_length=3000)
    deadline: date


class CallNeedIn(Schema):
    need_id: int


@router.get("/calls", response=list[CallOut], auth=OPTIONAL_AUTH, summary="Bundled calls")
@paginate(Pagination, page_size=50)
def list_calls(request: HttpRequest) -> Any:
    return list(selectors.call_list(user=request.user))


@router.get("/calls/{call_id}", response=CallOut, auth=OPTIONAL_AUTH)
def get_call(request: HttpRequest, call_id: int) -> Any:
    return selectors.call_get(user=request.user, pk=call_id)


@router.post("/calls", response={201: CallOut})
def create_call(request: SignedInRequest, payload: CallIn) -> Any:
    return HttpStatus(201, services.call_create(actor=request.user, **payload.dict()))


@router.post("/calls/{call_id}/needs", response=CallOut, summary="Add a need to the call")
def add_call_need(request: SignedInRequest, call_id: int, payload: CallNeedIn) -> Any:
    call = selectors.call_get(user=request.user, pk=call_id)
    services.call_add_need(
        actor=request.user, call=call, need=selectors.need_get(user=request.user, pk=payload.need_id)
    )
    return call


@router.post("/calls/{call_id}/publish", response=CallOut, summary="Publish the call and all its needs")
def publish_call(request: SignedInRequest, call_id: int) -> Any:
    call = selectors.call_get(user=request.user, pk=call_id)
    return services.call_publish(actor=request.user, call=call)


@router.get("/needs/{need_id}/matching-solutions", response=SearchOut, summary="Passende Lösungen")
def matches(
    request: SignedInRequest, need_id: int, kind: Literal["solution", "startup"] = "solution", limit: int = 20
) -> dict[str, Any]:
    need = selectors.need_get(user=request.user, pk=need_id)
    require_permission(request.user, "matching.view_need_matches", need)
    return search_out(
        matching.solutions_for_need(user=request.user, need=need, kind=kind, limit=min(max(limit, 1), 100))
    )


@router.post("/search/similar-needs", response=SearchOut, summary="Ähnliche Bedarfe anderer Behörden")
def similar(request: SignedInRequest, payload: SimilarIn) -> dict[str, Any]:
    require_permission(request.user, "needs.use_workspace")
    organisation_id = None
    if payload.exclude_need_id:
        organisation_id = selectors.need_get(user=request.user, pk=payload.exclude_need_id).organisation_id
    outcome = matching.similar_needs(
        user=request.user, text=payload.text, organisation_id=organisation_id, exclude_pk=payload.exclude_need_id
    )
    return search_out(outcome)
