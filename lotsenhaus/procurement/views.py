from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pages import handle_forms

from . import selectors, services
from .forms import AdvisorForm, ValueLimitForm


@login_required
def advisor(request: HttpRequest) -> HttpResponse:
    """The advisor on its own: value, body and kind of work in, a procedure with its rule out (htmx as you type)."""
    if not request.user.has_perm("procurement.use_advisor"):
        raise PermissionDenied
    form = AdvisorForm(request.GET or None)
    advice = selectors.advice_for(form.question()) if form.is_valid() else None
    return render_page(
        request, "procurement/advisor.html", "procurement/partials/advice.html", {"form": form, "advice": advice}
    )


@login_required
def limits(request: HttpRequest) -> HttpResponse:
    rows = selectors.value_limits(user=request.user)
    can_change = request.user.has_perm("procurement.change_limits")
    builders = {"create": lambda data, files: ValueLimitForm(data, prefix="create")}
    handlers = {"create": lambda f: services.value_limit_create(actor=request.user, **f.changes())}
    success = {"create": gettext_lazy("The limit has been added.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("procurement:limits"))
    if response is not None:
        return response
    context = {"limits": rows, "forms": forms, "can_change": can_change}
    return render(request, "procurement/limits.html", context, status=422 if request.method == "POST" else 200)


@login_required
def limit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    limit = selectors.value_limit_get(user=request.user, pk=pk)
    builders = {"edit": lambda data, files: ValueLimitForm(data, instance=limit, prefix="edit")}
    handlers = {
        "edit": lambda f: services.value_limit_update(
            actor=request.user, limit=limit, version=f.cleaned_data["version"], **f.changes()
        )
    }
    success = {"edit": gettext_lazy("The limit has been saved.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("procurement:limits"))
    if response is not None:
        return response
    return render(
        request,
        "procurement/limit_edit.html",
        {"limit": limit, "forms": forms},
        status=422 if request.method == "POST" else 200,
    )
