from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.pages import act_and_return, handle_forms
from lotsenhaus.core.pagination import page_of

from . import selectors, services
from .forms import PreferencesForm
from .models import Topic


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("notifications.view_own"):
        raise PermissionDenied


@login_required
def notification_list(request: SignedInRequest) -> HttpResponse:
    _require(request)
    page, query = page_of(request, selectors.notifications_of(user=request.user), 30)
    context = {"page": page, "query": query, "unread": selectors.unread_count(user=request.user)}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request: SignedInRequest, pk: int) -> HttpResponse:
    _require(request)
    item = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
    services.notification_read(actor=request.user, notification=item)
    return redirect(item.url or reverse("notifications:list"))


@login_required
@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    _require(request)
    return act_and_return(
        request,
        lambda: services.notifications_read_all(actor=request.user),
        gettext_lazy("All notifications are marked as read."),
        reverse("notifications:list"),
    )


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    _require(request)
    current = selectors.preferences_of(user=request.user)
    builders = {"prefs": lambda data, files: PreferencesForm(data, initial_frequencies=current, prefix="prefs")}
    handlers = {"prefs": lambda f: services.preferences_save(actor=request.user, frequencies=f.changes())}
    success = {"prefs": gettext_lazy("Your settings have been saved.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("notifications:preferences"))
    if response is not None:
        return response
    status = 422 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"forms": forms}, status=status)


@csrf_exempt  # the signed token is the secret; mail clients post one-click unsubscribes without a session
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST does it (RFC 8058 one-click): a link preview or virus scanner must not unsubscribe anyone."""
    try:
        _user_id, topic = services.read_unsubscribe_token(token)
    except ApplicationError as error:
        return render(request, "notifications/unsubscribe.html", {"error": error.message}, status=400)
    label = Topic(topic).label if topic in Topic.values else None
    if request.method == "POST":
        try:
            services.unsubscribe(token=token)
        except ApplicationError as error:
            return render(request, "notifications/unsubscribe.html", {"error": error.message}, status=400)
        messages.success(request, _("You will receive no more e-mails on this."))
        return render(request, "notifications/unsubscribe.html", {"done": True, "topic": label})
    return render(request, "notifications/unsubscribe.html", {"topic": label})
