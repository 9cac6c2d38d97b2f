"""Pages that hold several small forms (a workspace): the posted one is bound, checked and handed to its service.

Input survives a refusal: an invalid form or a refused business rule re-renders the page with the typed
values and the error in place (status 422); success redirects (post/redirect/get) with a message.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .exceptions import ApplicationError
from .forms import call_service

FormBuilder = Callable[[Any, Any], forms.BaseForm]


def handle_forms(
    request: HttpRequest,
    builders: Mapping[str, FormBuilder],
    handlers: dict[str, Callable[[forms.BaseForm], Any]],
    success: dict[str, Any],
    redirect_to: str | Callable[[Any], str],
) -> tuple[dict[str, forms.BaseForm], HttpResponse | None]:
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted is not None and posted not in handlers:
        raise BadRequest("unknown form")
    bound = {
        name: build(request.POST, request.FILES) if name == posted else build(None, None)
        for name, build in builders.items()
    }
    if posted is None:
        return bound, None
    form = bound[posted]
    if form.is_valid():
        result = call_service(form, lambda: handlers[posted](form))
        if not form.errors:
            messages.success(request, str(success[posted]))
            target = redirect_to(result) if callable(redirect_to) else redirect_to
            return bound, redirect(target)
    return bound, None


def act_and_return(request: HttpRequest, action: Callable[[], Any], success: Any, to: str) -> HttpResponse:
    """Run a one-button action (a POST without fields), say how it went, and go back to ``to``."""
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(success))
    return redirect(to)
