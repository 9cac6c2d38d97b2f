"""Events and registrations over the API, with the pages' services and rules."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import Actor, SignedInRequest
from lotsenhaus.accounts.api_auth import OPTIONAL_AUTH
from lotsenhaus.core.api import Pagination
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.filters import query_schema
from lotsenhaus.needs.selectors import needs_visible

from . import selectors, services
from .filters import EventFilterSet
from .models import EventKind

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int | None
    registered: int
    waiting: int
    version: int

    @staticmethod
    def resolve_registered(obj: Any) -> int:
        return obj.registered_count

    @staticmethod
    def resolve_waiting(obj: Any) -> int:
        return obj.waitlist_count


class EventIn(Schema):
    kind: EventKind
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=300)
    online_url: str = Field("", max_length=200, pattern=r"^(https?://\S+)?$")
    capacity: int | None = Field(None, ge=1, le=100_000)
    need_ids: list[int] = Field(default_factory=list, max_length=30)


class EventPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=5000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=300)
    capacity: int | None = Field(None, ge=1, le=100_000)


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str
    queued_at: datetime


def _needs(user: Actor, ids: list[int]) -> list[Any]:
    ids = [i for i in set(ids) if 0 < i < 2**31]
    found = list(needs_visible(user=user, ids=ids))
    if len(found) != len(ids):
        raise ApplicationError(_("Only published needs can be presented."), field="needs", code="wrong_state")
    return found


def _reloaded(user: Actor, event: Any) -> Any:
    return selectors.event_get(user=user, pk=event.pk)


class EventFilters(query_schema(EventFilterSet, "EventFilterSchema")):  # type: ignore[misc]
    """The event list's filters, generated from its FilterSet (core.filters): the same as on the page."""


@router.get("/events", response=list[EventOut], auth=OPTIONAL_AUTH, summary="Upcoming (or past) events")
@paginate(Pagination, page_size=50)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    return selectors.event_list(user=request.user, filters=filters.dict(exclude_none=True))


@router.get("/events/{event_id}", response=EventOut, auth=OPTIONAL_AUTH)
def get_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.event_get(user=request.user, pk=event_id)


@router.post("/events", response={201: EventOut}, summary="Create an event (as a draft)")
def create_event(request: SignedInRequest, payload: EventIn) -> Any:
    if not request.user.has_perm("events.manage_events"):
        raise PermissionDenied
    data = payload.dict()
    needs = _needs(request.user, data.pop("need_ids"))
    event = services.event_create(actor=request.user, needs=needs, **data)
    return HttpStatus(201, _reloaded(request.user, event))


@router.patch("/events/{event_id}", response=EventOut)
def update_event(request: SignedInRequest, event_id: int, payload: EventPatch) -> Any:
    event = selectors.event_get(user=request.user, pk=event_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None or k == "capacity"}
    event = services.event_update(actor=request.user, event=event, version=version, **data)
    return _reloaded(request.user, event)


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut}, summary="Register (or queue)")
def register(request: SignedInRequest, event_id: int) -> Any:
    event = selectors.event_get(user=request.user, pk=event_id)
    return HttpStatus(201, services.registration_create(actor=request.user, event=event))


@router.post("/events/{event_id}/{action}", response=EventOut, summary="publish, cancel, or invite to answer")
def act_on_event(request: SignedInRequest, event_id: int, action: Literal["publish", "cancel", "invite"]) -> Any:
    event = selectors.event_get(user=request.user, pk=event_id)
    service = {
        "publish": services.event_publish,
        "cancel": services.event_cancel,
        "invite": services.reverse_pitch_invite,
    }[action]
    service(actor=request.user, event=event)
    return _reloaded(request.user, event)


@router.delete("/registrations/{registration_id}", response=RegistrationOut, summary="Cancel a registration")
def cancel_registration(request: SignedInRequest, registration_id: int) -> Any:
    registration = selectors.registration_get(user=request.user, pk=registration_id)
    return services.registration_cancel(actor=request.user, registration=registration)


@router.get("/registrations", response=list[RegistrationOut], summary="My upcoming registrations")
@paginate(Pagination, page_size=50)
def my_registrations(request: SignedInRequest) -> Any:
    return list(selectors.my_registrations(user=request.user))
