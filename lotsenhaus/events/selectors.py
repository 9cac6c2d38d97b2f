from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.needs.selectors import needs_visible

from . import ical
from .filters import EventFilterSet
from .models import Event, EventStatus, Registration, RegistrationStatus
from .rules import VISIBLE_EVENTS


def _with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
        waitlist_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    )


def event_list(*, user: Actor, filters: EventFilterSet | Mapping[str, Any] | None = None) -> QuerySet[Event]:
    """Upcoming (or past) events: published and cancelled ones for all, drafts too for the unit.

    Explicit order (by ``when``): an aggregate query ignores Meta.ordering (issue 17, D11, events came unsorted).
    """
    qs = _with_counts(VISIBLE_EVENTS.restrict(Event.objects.all(), user))
    return EventFilterSet.apply(filters, qs)


def event_get(*, user: Actor, pk: int) -> Event:
    event = get_object_or_404(_with_counts(Event.objects.select_related("organiser")), pk=pk)
    if not user.has_perm("events.view_event", event):
        raise PermissionDenied
    return event


def calendar_events() -> QuerySet[Event]:
    """What the subscribable feed carries: published and cancelled events of the last 90 days and the future."""
    since = timezone.now() - timedelta(days=90)
    return VISIBLE_EVENTS.public(Event.objects.filter(ends_at__gte=since)).order_by("starts_at")


def registration_of(*, user: Actor, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def registrations(*, user: Actor, event: Event) -> QuerySet[Registration]:
    if not user.has_perm("events.manage_events"):
        raise PermissionDenied
    return event.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user")


def my_registrations(*, user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def presented_needs(*, user: Actor, event: Event) -> list[Any]:
    return list(needs_visible(user=user, ids=list(event.needs.values_list("pk", flat=True))))


def events_starting(*, within: timedelta, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + within).values_list(
            "pk", flat=True
        )
    )


def registration_get(*, user: Actor, pk: int) -> Registration:
    """One's own registration, or any for the unit."""
    registration = get_object_or_404(Registration.objects.select_related("event", "user"), pk=pk)
    if registration.user_id != user.pk and not user.has_perm("events.manage_events"):
        raise PermissionDenied
    return registration


def ics_for_key(key: str) -> tuple[str, bytes, str] | None:
    """The calendar entry for a confirmation or a place from the waiting list (registered with notifications)."""
    parts = key.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=int(parts[1]), status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None:
        return None
    event = registration.event
    return (f"veranstaltung-{event.pk}.ics", ical.to_ics([event], event.title), "text/calendar")
