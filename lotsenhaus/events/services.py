"""Every write to events and registrations. Seats are counted under a lock on the event row, so two people
taking the last seat at once end up one registered and one on the waiting list."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import assign, clean_or_refuse, refuse_unknown, require_permission, versioned_edit
from lotsenhaus.needs.selectors import need_board
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send

from . import audit_actions
from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus

EVENT_FIELDS = ["kind", "title", "description", "starts_at", "ends_at", "place", "online_url", "capacity"]


def _validate(event: Event) -> None:
    if event.ends_at and event.starts_at and event.ends_at <= event.starts_at:
        raise ApplicationError(_("The end must be after the start."), field="ends_at", code="invalid_date")
    if not event.place.strip() and not event.online_url.strip():
        raise ApplicationError(_("Please give a place or an online link."), field="place", code="required")


def _check_needs(needs: Any) -> None:
    """Only published needs can be presented to startups."""
    ids = {n.pk for n in needs}
    if ids and need_board().filter(pk__in=ids).count() != len(ids):
        raise ApplicationError(_("Only published needs can be presented."), field="needs", code="wrong_state")


def _registered_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _url(event: Event) -> str:
    return reverse("events:detail", args=[event.pk])


@transaction.atomic
def event_create(*, actor: User, needs: Any = (), **fields: Any) -> Event:
    require_permission(actor, "events.manage_events")
    refuse_unknown(fields, EVENT_FIELDS)
    event = Event(organiser=actor)
    assign(event, fields)
    _validate(event)
    clean_or_refuse(event, exclude=["organiser"])
    _check_needs(needs)
    event.save()
    event.needs.set(needs)
    audit(actor=actor, action=audit_actions.EVENT_CREATE, obj=event, changes=diff({}, snapshot(event, EVENT_FIELDS)))
    return event


def _promote(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (the caller holds the event lock)."""
    promoted = []
    while event.capacity is None or _registered_count(event) < event.capacity:
        nxt = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "id").first()
        if nxt is None:
            break
        nxt.status = RegistrationStatus.REGISTERED
        nxt.save(update_fields=["status"])
        promoted.append(nxt)
    for registration in promoted:
        notifications_send(
            recipients=[registration.user],
            topic=Topic.EVENT,
            title=lambda: _("You have a place: %(title)s") % {"title": event.title},
            body=lambda: _("A place became free and you moved up from the waiting list."),
            url=_url(event),
            key=f"event-promoted:{registration.pk}:{registration.queued_at.timestamp()}",
        )
    return promoted


@transaction.atomic
def event_update(*, actor: User, event: Event, version: int, needs: Any = None, **fields: Any) -> Event:
    require_permission(actor, "events.manage_events")
    edit = versioned_edit(
        Event.objects.all(),
        event.pk,
        version,
        fields,
        EVENT_FIELDS,
        _("Someone else has changed this event in the meantime. Please reload the page."),
    )
    current = edit.obj
    _validate(current)
    taken = _registered_count(current)
    if current.capacity is not None and current.capacity < taken:
        raise ApplicationError(
            _("%(count)s people are registered; the number of places cannot be lower.") % {"count": taken},
            field="capacity",
            code="invalid_value",
        )
    if needs is not None:
        _check_needs(needs)

    def needs_and_places(saved: Event, _changes: dict[str, Any]) -> dict[str, Any]:
        more: dict[str, Any] = {}
        if needs is not None:
            old = sorted(saved.needs.values_list("pk", flat=True))
            saved.needs.set(needs)
            if old != sorted(n.pk for n in needs):
                more["needs"] = [old, sorted(n.pk for n in needs)]
        if promoted := _promote(saved):  # more places: the waiting list moves up
            more["promoted"] = [None, len(promoted)]
        return more

    edit.save(actor=actor, action=audit_actions.EVENT_UPDATE, exclude=["organiser"], after_save=needs_and_places)
    return current


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    require_permission(actor, "events.manage_events")
    current = _locked(event)
    if current.status != EventStatus.DRAFT:
        raise ApplicationError(_("Only a draft can be published."), code="wrong_state")
    current.status = EventStatus.PUBLISHED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit(actor=actor, action=audit_actions.EVENT_PUBLISH, obj=current, changes={"status": ["draft", "published"]})
    return current


@transaction.atomic
def event_cancel(*, actor: User, event: Event) -> Event:
    require_permission(actor, "events.manage_events")
    current = _locked(event)
    if current.status == EventStatus.CANCELLED:
        raise ApplicationError(_("The event is already cancelled."), code="wrong_state")
    previous = current.status
    current.status = EventStatus.CANCELLED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit(actor=actor, action=audit_actions.EVENT_CANCEL, obj=current, changes={"status": [previous, "cancelled"]})
    people = [r.user for r in current.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user")]
    notifications_send(
        recipients=people,
        actor=actor,
        topic=Topic.EVENT,
        title=lambda: _("Cancelled: %(title)s") % {"title": current.title},
        url=_url(current),
        key=f"event-cancelled:{current.pk}",
    )
    return current


@transaction.atomic
def registration_create(*, actor: User, event: Event) -> Registration:
    """Register, or join the waiting list when the event is full (decided under the event's row lock)."""
    current = _locked(event)
    if not actor.has_perm("events.register", current) or getattr(actor, "is_service_account", False):
        raise ApplicationError(_("Registration is open only for published events."), code="wrong_state")
    if current.ends_at <= timezone.now():
        raise ApplicationError(_("This event is over."), code="wrong_state")
    existing = Registration.objects.select_for_update().filter(event=current, user=actor).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise ApplicationError(_("You are already registered for this event."), code="duplicate")
    full = current.capacity is not None and _registered_count(current) >= current.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    registration = existing or Registration(event=current, user=actor)
    registration.status = status
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    audit(actor=actor, action=audit_actions.EVENT_REGISTER, obj=current, changes={"registration": [None, status]})
    _confirm(current, registration)
    return registration


def _confirm(event: Event, registration: Registration) -> None:
    """The person who registered gets a confirmation, with the calendar entry when they have a place
    (issue 17: notifications; the .ics travels with the e-mail, see ``selectors.ics_for_key``)."""
    waiting = registration.status == RegistrationStatus.WAITLISTED
    when = timezone.localtime(event.starts_at)
    notifications_send(
        recipients=[registration.user],
        topic=Topic.EVENT,
        title=lambda: (
            (_("On the waiting list: %(title)s") if waiting else _("You are registered: %(title)s"))
            % {"title": event.title}
        ),
        body=lambda: (
            _("You will be told as soon as a place becomes free.")
            if waiting
            else _("%(date)s, %(place)s. The calendar entry is attached to the e-mail.")
            % {"date": formats.date_format(when, "DATETIME_FORMAT"), "place": event.place or event.online_url}
        ),
        url=_url(event),
        key=f"event-registered:{registration.pk}:{registration.queued_at.timestamp()}",
    )


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """Cancel one's place; the first on the waiting list moves up and is told."""
    current = _locked(registration.event)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.user_id != actor.pk and not actor.has_perm("events.manage_events"):
        raise ApplicationError(_("You can only cancel your own registration."), code="not_allowed")
    if reg.status == RegistrationStatus.CANCELLED:
        raise ApplicationError(_("This registration is already cancelled."), code="wrong_state")
    previous = reg.status
    reg.status = RegistrationStatus.CANCELLED
    reg.cancelled_at = timezone.now()
    reg.save(update_fields=["status", "cancelled_at"])
    promoted = _promote(current) if current.status == EventStatus.PUBLISHED else []
    audit(
        actor=actor,
        action=audit_actions.EVENT_CANCEL_REGISTRATION,
        obj=current,
        changes={"registration": [previous, "cancelled"], "user": reg.user_id, "promoted": len(promoted)},
    )
    return reg


def registrations_release(person: Any, actor: User) -> None:
    """Erasure of a person: give up their places on coming events so the waiting list moves up."""
    coming = Registration.objects.filter(
        user=person,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=timezone.now(),
    ).select_related("event")
    for registration in coming:
        registration_cancel(actor=actor, registration=registration)


@transaction.atomic
def event_remind(*, event_id: int) -> int:
    """One reminder per registered person and event, however often it runs."""
    event = Event.objects.filter(pk=event_id, status=EventStatus.PUBLISHED).first()
    if event is None:
        return 0
    people = [r.user for r in event.registrations.filter(status=RegistrationStatus.REGISTERED).select_related("user")]
    where = event.place or event.online_url
    return notifications_send(
        recipients=people,
        topic=Topic.EVENT,
        title=lambda: (
            _("Reminder: %(title)s on %(date)s")
            % {"title": event.title, "date": timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M")}
        ),
        body=where,
        url=_url(event),
        key=f"event-reminder:{event.pk}",
    )


@transaction.atomic
def reverse_pitch_invite(*, actor: User, event: Event) -> int:
    """Invite the startups registered for a reverse pitch to answer the needs presented there."""
    require_permission(actor, "events.manage_events")
    if event.kind != EventKind.REVERSE_PITCH:
        raise ApplicationError(_("Only a reverse pitch presents needs."), code="wrong_state")
    needs = list(event.needs.all())
    if not needs:
        raise ApplicationError(_("Please link the needs presented first."), code="precondition")
    people = [
        r.user
        for r in event.registrations.filter(status=RegistrationStatus.REGISTERED).select_related("user")
        if r.user.has_perm("roles.startup_member")
    ]
    if not people:
        raise ApplicationError(_("No startups are registered for this reverse pitch yet."), code="precondition")
    body = "\n".join(f"- {n.title}" for n in needs)
    sent = notifications_send(
        recipients=people,
        actor=actor,
        topic=Topic.EVENT,
        title=lambda: _("Invitation to answer the needs of “%(title)s”") % {"title": event.title},
        body=body,
        url=_url(event),
        key=f"reverse-pitch-invite:{event.pk}",
    )
    audit(actor=actor, action=audit_actions.EVENT_INVITE_TO_ANSWER, obj=event, changes={"invited": [None, len(people)]})
    return sent
