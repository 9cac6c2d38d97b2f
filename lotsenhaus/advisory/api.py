"""The advisory track over the API, with the pages' services and rules."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import Actor, SignedInRequest
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.filters import query_schema
from lotsenhaus.organisations.selectors import unit_staff
from lotsenhaus.startups.selectors import startup_get

from . import selectors, services
from .filters import EnrolmentFilterSet
from .models import MilestoneKind
from .progress import progress

router = Router(tags=["advisory track"])


class MilestoneOut(Schema):
    id: int
    kind: str
    title: str
    due_on: date
    done_on: date | None
    note: str


class SessionOut(Schema):
    id: int
    held_on: date
    topic: str
    notes: str
    next_steps: str


class EnrolmentOut(Schema):
    id: int
    startup_id: int
    startup: str
    advisor: str
    admitted_on: date
    ends_on: date
    status: str
    version: int
    progress_percent: int
    stuck_reasons: list[str]

    @staticmethod
    def resolve_startup(obj: Any) -> str:
        return obj.startup.organisation.name

    @staticmethod
    def resolve_advisor(obj: Any) -> str:
        return str(obj.advisor)

    @staticmethod
    def resolve_progress_percent(obj: Any) -> int:
        return progress(obj).percent

    @staticmethod
    def resolve_stuck_reasons(obj: Any) -> list[str]:
        return list(progress(obj).stuck_reasons)


class EnrolmentDetailOut(EnrolmentOut):
    goals: str
    milestones: list[MilestoneOut]
    sessions: list[SessionOut]

    @staticmethod
    def resolve_milestones(obj: Any) -> list[Any]:
        return list(selectors.milestones(enrolment=obj))

    @staticmethod
    def resolve_sessions(obj: Any) -> list[Any]:
        return list(selectors.sessions(enrolment=obj))


class AdmitIn(Schema):
    startup_id: int = Field(..., ge=1, le=2**31 - 1)
    advisor_id: int = Field(..., ge=1, le=2**31 - 1)
    admitted_on: date
    goals: str = Field("", max_length=3000)


class MilestoneIn(Schema):
    kind: MilestoneKind = MilestoneKind.OTHER
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date


class DoneIn(Schema):
    done_on: date
    note: str = Field("", max_length=500)


class SessionIn(Schema):
    held_on: date
    topic: str = Field(..., min_length=1, max_length=200)
    notes: str = Field(..., min_length=1, max_length=5000)
    next_steps: str = Field("", max_length=2000)


def _detail(user: Actor, pk: int) -> Any:
    return selectors.enrolment_get(user=user, pk=pk)


class EnrolmentFilters(query_schema(EnrolmentFilterSet, "EnrolmentFilterSchema")):  # type: ignore[misc]
    """The advisory track's filters, generated from its FilterSet (core.filters): the same as on the page."""


@router.get("/advisory/enrolments", response=list[EnrolmentOut], summary="Startups in the programme (yours)")
@paginate(Pagination, page_size=50)
def list_enrolments(request: SignedInRequest, filters: Query[EnrolmentFilters]) -> Any:
    return list(selectors.enrolments(user=request.user, filters=filters.dict(exclude_none=True)))


@router.get("/advisory/enrolments/{enrolment_id}", response=EnrolmentDetailOut)
def get_enrolment(request: SignedInRequest, enrolment_id: int) -> Any:
    return _detail(request.user, enrolment_id)


@router.post("/advisory/enrolments", response={201: EnrolmentDetailOut}, summary="Admit a startup for two years")
def admit(request: SignedInRequest, payload: AdmitIn) -> Any:
    if not request.user.has_perm("advisory.manage"):
        raise PermissionDenied
    startup = startup_get(user=request.user, pk=payload.startup_id)
    advisor = unit_staff().filter(pk=payload.advisor_id).first()
    if advisor is None:
        raise ApplicationError(
            _("The advisor must be a member of the venture-client unit."), field="advisor", code="not_allowed"
        )
    enrolment = services.enrolment_admit(
        actor=request.user, startup=startup, advisor=advisor, admitted_on=payload.admitted_on, goals=payload.goals
    )
    return HttpStatus(201, _detail(request.user, enrolment.pk))


@router.post("/advisory/enrolments/{enrolment_id}/milestones", response={201: MilestoneOut})
def add_milestone(request: SignedInRequest, enrolment_id: int, payload: MilestoneIn) -> Any:
    enrolment = _detail(request.user, enrolment_id)
    return HttpStatus(201, services.milestone_add(actor=request.user, enrolment=enrolment, **payload.dict()))


@router.post("/advisory/milestones/{milestone_id}/done", response=MilestoneOut, summary="Mark a milestone as done")
def complete_milestone(request: SignedInRequest, milestone_id: int, payload: DoneIn) -> Any:
    milestone = selectors.milestone_get(user=request.user, pk=milestone_id)
    return services.milestone_complete(actor=request.user, milestone=milestone, **payload.dict())


@router.post("/advisory/enrolments/{enrolment_id}/sessions", response={201: SessionOut}, summary="Record a session")
def add_session(request: SignedInRequest, enrolment_id: int, payload: SessionIn) -> Any:
    enrolment = _detail(request.user, enrolment_id)
    return HttpStatus(201, services.session_add(actor=request.user, enrolment=enrolment, **payload.dict()))
