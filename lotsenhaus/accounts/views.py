from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsenhaus.accounts.actors import SignedInRequest
from lotsenhaus.core import privacy
from lotsenhaus.core.forms import call_service

from . import selectors, services
from .forms import ApiTokenForm, ErasureForm, ProfileForm
from .models import ApiToken, User


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, initial={"name": user.name, "form_of_address": user.form_of_address})
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.user_update_profile(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                form_of_address=form.cleaned_data["form_of_address"],
            ),
        )
        if done:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def api_tokens(request: SignedInRequest) -> HttpResponse:
    """Personal API tokens: create (shown once), list, revoke."""
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        created = call_service(
            form,
            lambda: services.api_token_create(
                actor=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                scope=form.cleaned_data["scope"],
            ),
        )
        if created:
            new_token = created[1]
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": user.api_tokens.all(),
        "new_token": new_token,
        "now": timezone.now(),
        "max_days": settings.LOTSENHAUS_API_TOKEN_MAX_DAYS,
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    api_token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, api_token=api_token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:api_tokens")


@login_required
def personal_data(request: SignedInRequest) -> HttpResponse:
    """What the platform keeps about me, the download of it all, and erasure of my account."""
    user = request.user
    assert isinstance(user, User)
    form = ErasureForm(request.POST or None, user=user)
    erased = None
    if request.method == "POST" and form.is_valid():
        erased = call_service(form, lambda: services.person_erase(actor=user, user=user))
    if erased is not None:
        logout(request)
        messages.success(request, _("Your account has been closed and your personal data erased."))
        return redirect("home")
    context = {
        "form": form,
        "contact_days": settings.LOTSENHAUS_RETENTION_CONTACT_DAYS,
        "answer_days": settings.LOTSENHAUS_RETENTION_ANSWER_DAYS,
    }
    return render(request, "accounts/personal_data.html", context)


@login_required
def personal_data_export(request: SignedInRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    response = HttpResponse(
        privacy.to_json(selectors.personal_data(user)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="lotsenhaus-meine-daten.json"'
    return response
