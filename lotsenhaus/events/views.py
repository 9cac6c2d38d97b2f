from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pages import act_and_return, handle_forms

from . import ical, selectors, services
from .filters import EventFilterSet
from .forms import EventForm
from .models import RegistrationStatus


def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilterSet(request.GET)
    context = {
        "filters": filters,
        "events": selectors.event_list(user=request.user, filters=filters)[:200],
        "past": filters.past,
        "mine": selectors.my_registrations(user=request.user) if request.user.is_authenticated else [],
        "can_manage": request.user.has_perm("events.manage_events"),
    }
    return render_page(request, "events/list.html", "events/partials/results.html", context)


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("events.manage_events"):
        raise PermissionDenied
    builders = {"event": lambda data, files: EventForm(data, prefix="event")}
    handlers = {"event": lambda f: services.event_create(actor=request.user, **f.changes())}
    success = {"event": gettext_lazy("The event has been saved as a draft.")}
    forms, response = handle_forms(
        request, builders, handlers, success, lambda e: reverse("events:detail", args=[e.pk])
    )
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "events/edit.html", {"forms": forms, "event": None}, status=status)


@login_required
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    if not request.user.has_perm("events.manage_events"):
        raise PermissionDenied
    builders = {"event": lambda data, files: EventForm(data, instance=event, prefix="event")}
    handlers = {
        "event": lambda f: services.event_update(
            actor=request.user, event=event, version=f.cleaned_data["version"], **f.changes()
        )
    }
    success = {"event": gettext_lazy("The event has been saved.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("events:detail", args=[pk]))
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "events/edit.html", {"forms": forms, "event": event}, status=status)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    can_manage = request.user.has_perm("events.manage_events")
    registration = selectors.registration_of(user=request.user, event=event)
    context = {
        "event": event,
        "registration": registration if registration and registration.status != RegistrationStatus.CANCELLED else None,
        "can_register": request.user.has_perm("events.register", event),
        "can_manage": can_manage,
        "registrations": selectors.registrations(user=request.user, event=event) if can_manage else [],
        "needs": selectors.presented_needs(user=request.user, event=event),
        "is_startup": request.user.has_perm("roles.startup_member"),
    }
    return render(request, "events/detail.html", context)


ACTIONS = {
    "publish": (services.event_publish, gettext_lazy("The event has been published.")),
    "cancel": (services.event_cancel, gettext_lazy("The event has been cancelled; registered people are told.")),
    "invite": (services.reverse_pitch_invite, gettext_lazy("The registered startups have been invited to answer.")),
}


@login_required
@require_POST
def action(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    if name == "register":
        return act_and_return(
            request,
            lambda: services.registration_create(actor=request.user, event=event),
            _("Done. You find your registration status on this page."),
            reverse("events:detail", args=[pk]),
        )
    if name not in ACTIONS:
        raise PermissionDenied
    service, success = ACTIONS[name]
    return act_and_return(
        request, lambda: service(actor=request.user, event=event), success, reverse("events:detail", args=[pk])
    )


@login_required
@require_POST
def cancel_registration(request: SignedInRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get(user=request.user, pk=pk)
    return act_and_return(
        request,
        lambda: services.registration_cancel(actor=request.user, registration=registration),
        gettext_lazy("The registration has been cancelled."),
        reverse("events:detail", args=[registration.event_id]),
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(user=request.user, pk=pk)
    response = HttpResponse(ical.to_ics([event], event.title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="veranstaltung-{event.pk}.ics"'
    return response


def feed(request: HttpRequest) -> HttpResponse:
    """The subscribable calendar: public, so calendar apps can fetch it without signing in."""
    body = ical.to_ics(selectors.calendar_events(), _("Lotsenhaus events"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
