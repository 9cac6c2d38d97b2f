from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lotsenhaus.core.roles import Role, roles_of

from .allauth_internals import authentication_methods

PRIVILEGED = {Role.COORDINATOR.value, Role.PLATFORM_ADMIN.value}
ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/", "/i18n/")
ALLOWED_PATHS = ("/healthz", "/livez")


def needs_mfa_setup(request: HttpRequest) -> bool:
    """A coordinator or platform admin without TOTP must set it up before doing anything else.

    Single sign-on sessions are exempt when the identity provider enforces its own second factor.
    """
    user = request.user
    if not user.is_authenticated or not (PRIVILEGED & roles_of(user)):
        return False
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return False
    return not (
        settings.LOTSENHAUS_OIDC["mfa_by_provider"] and "socialaccount" in authentication_methods(request, user)
    )


class EnforceMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(ALLOWED_PREFIXES) or path in ALLOWED_PATHS or not needs_mfa_setup(request):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": _("Two-factor authentication must be set up first.")}, status=403)
        messages.warning(
            request,
            _("Your role requires two-factor authentication. Please set up an authenticator app to continue."),
        )
        return redirect(reverse("mfa_activate_totp"))
