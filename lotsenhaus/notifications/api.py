from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.api import Pagination

from . import selectors, services
from .models import Frequency, Topic

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    topic: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class PreferencesIn(Schema):
    frequencies: dict[Topic, Frequency]


class PreferencesOut(Schema):
    frequencies: dict[str, str]


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("notifications.view_own"):
        raise PermissionDenied


@router.get("/notifications", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pagination)
def list_notifications(request: SignedInRequest, unread: bool = False) -> Any:
    _require(request)
    items = selectors.notifications_of(user=request.user)
    return items.filter(read_at__isnull=True) if unread else items


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one as read")
def read_notification(request: SignedInRequest, notification_id: int) -> Any:
    _require(request)
    item = get_object_or_404(selectors.notifications_of(user=request.user), pk=notification_id)
    return services.notification_read(actor=request.user, notification=item)


class MarkedOut(Schema):
    marked: int


@router.post("/notifications/read-all", response=MarkedOut, summary="Mark all as read")
def read_all(request: SignedInRequest) -> Any:
    _require(request)
    return {"marked": services.notifications_read_all(actor=request.user)}


@router.get("/notifications/preferences", response=PreferencesOut, summary="E-mail frequency per topic")
def get_preferences(request: SignedInRequest) -> Any:
    _require(request)
    return {"frequencies": selectors.preferences_of(user=request.user)}


@router.put("/notifications/preferences", response=PreferencesOut, summary="Change e-mail frequencies")
def put_preferences(request: SignedInRequest, payload: PreferencesIn) -> Any:
    _require(request)
    frequencies = {str(k.value): str(v.value) for k, v in payload.frequencies.items()}
    return {"frequencies": services.preferences_save(actor=request.user, frequencies=frequencies)}
