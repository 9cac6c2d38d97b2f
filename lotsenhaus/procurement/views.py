from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.airegister.assessment import load_rules as ai_act_rules
from lotsenhaus.core.htmx import render_page
from lotsenhaus.core.pages import act_and_return, handle_forms

from . import advisor as advisor_engine
from . import selectors, services
from .forms import AdvisorForm, ValueLimitForm


@login_required
def advisor(request: SignedInRequest) -> HttpResponse:
    """The advisor on its own: value, body and kind of work in, a procedure with its rule out (htmx as you type)."""
    if not request.user.has_perm("procurement.use_advisor"):
        raise PermissionDenied
    form = AdvisorForm(request.GET or None)
    advice = selectors.advice_for(form.question()) if form.is_valid() else None
    return render_page(
        request, "procurement/advisor.html", "procurement/partials/advice.html", {"form": form, "advice": advice}
    )


@login_required
def limits(request: SignedInRequest) -> HttpResponse:
    rows = selectors.value_limits(user=request.user)
    can_change = request.user.has_perm("procurement.change_limits")
    builders = {"create": lambda data, files: ValueLimitForm(data, prefix="create")}
    handlers = {
        "create": lambda f: services.value_limit_propose(
            actor=request.user, reason=f.cleaned_data["reason"], **f.changes()
        )
    }
    success = {
        "create": gettext_lazy("The new limit has been proposed. It takes effect when a second person approves it.")
    }
    forms, response = handle_forms(request, builders, handlers, success, reverse("procurement:limits"))
    if response is not None:
        return response
    context = {
        "limits": rows,
        "forms": forms,
        "can_change": can_change,
        "changes": selectors.value_limit_changes(user=request.user),
    }
    return render(request, "procurement/limits.html", context, status=422 if request.method == "POST" else 200)


@login_required
def limit_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    limit = selectors.value_limit_get(user=request.user, pk=pk)
    builders = {"edit": lambda data, files: ValueLimitForm(data, instance=limit, prefix="edit")}
    handlers = {
        "edit": lambda f: services.value_limit_propose(
            actor=request.user,
            limit=limit,
            version=f.cleaned_data["version"],
            reason=f.cleaned_data["reason"],
            **f.changes(),
        )
    }
    success = {"edit": gettext_lazy("The change has been proposed. It takes effect when a second person approves it.")}
    forms, response = handle_forms(request, builders, handlers, success, reverse("procurement:limits"))
    if response is not None:
        return response
    return render(
        request,
        "procurement/limit_edit.html",
        {"limit": limit, "forms": forms},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def change_decide(request: SignedInRequest, pk: int, decision: str) -> HttpResponse:
    change = selectors.value_limit_change_get(user=request.user, pk=pk)
    to = reverse("procurement:limits")
    if decision == "approve":
        done = gettext_lazy("The change has been approved and is in effect.")
        return act_and_return(
            request, lambda: services.value_limit_change_approve(actor=request.user, change=change), done, to
        )
    done = gettext_lazy("The change has been rejected.")
    return act_and_return(
        request, lambda: services.value_limit_change_reject(actor=request.user, change=change), done, to
    )


def legal_sources(request: HttpRequest) -> HttpResponse:
    """Public: every act, publication and date the AI Act assessment and the procurement advisor rest on."""
    context = {
        "ai_act": ai_act_rules(),
        "procurement": advisor_engine.load_rules(),
        "limits": selectors.public_limits(),
    }
    return render(request, "procurement/legal_sources.html", context)
