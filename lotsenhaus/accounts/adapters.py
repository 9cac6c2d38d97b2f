from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core import known_accounts, metrics, throttle

from .allauth_internals import login_failures_left


class _Site:
    """What allauth's e-mails call the site: the product's name and the configured address, never the host the
    request came in on ("Hallo von 127.0.0.1:8101", issue 17, D20)."""

    name = "Lotsenhaus"

    @property
    def domain(self) -> str:
        return urlsplit(settings.LOTSENHAUS_BASE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "demo_account": _(
            "This is an account or password of the demo installation; its credentials are published. "
            "It cannot sign in here."
        ),
    }

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Production refuses the demo world's accounts and its published password (issue 20)."""
        if known_accounts.refused(email=credentials.get("email"), password=credentials.get("password")):
            raise self.validation_error("demo_account")
        super().pre_authenticate(request, **credentials)

    def pre_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse | None:
        """Every other way in (single sign-on, a code by e-mail, a password reset) meets the same refusal."""
        if known_accounts.refused(email=getattr(user, "email", "")):
            raise PermissionDenied(self.error_messages["demo_account"])
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        with metrics.email_sent("account"):
            super().send_mail(template_prefix, email, {"current_site": _Site(), **context})

    def build_absolute_uri(self, request: Any, location: str, protocol: str | None = None) -> str:
        """Links in e-mails sent without a request (background tasks) use the configured base URL."""
        if request is None:
            return settings.LOTSENHAUS_BASE_URL + location
        return super().build_absolute_uri(request, location, protocol)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """Failed sign-ins are limited per account (allauth's ``login_failed`` rate, by key) and per address.

        The per-address limit refuses only *failed* attempts: behind a shared address (the administration's
        network, a proxy without ``LOTSENHAUS_TRUSTED_PROXY_COUNT``) one person typing wrong passwords must not
        lock everybody else out, so correct credentials of other accounts always get through. An account that
        reaches its own limit is locked for the window, and its owner is told once by e-mail.
        """
        login = str(credentials.get("email") or "").strip().lower()
        if login:
            self._notify_if_locked(request, login)
        if not throttle.hit("login-ip", self.get_client_ip(request), settings.LOTSENHAUS_LOGIN_IP_RATE):
            raise self.validation_error("too_many_login_attempts")

    def _notify_if_locked(self, request: HttpRequest, login: str) -> None:
        from allauth.account import app_settings

        rate = app_settings.RATE_LIMITS.get("login_failed")
        if not rate:
            return
        still_open = login_failures_left(self, request, login)
        address = EmailAddress.objects.filter(email__iexact=login).select_related("user").first()
        if still_open or address is None or not throttle.once("login-locked", login, 15 * 60):
            return
        self.send_mail(
            "account/email/login_locked",
            address.email,
            {"user": address.user, "ip": self.get_client_ip(request), "base_url": settings.LOTSENHAUS_BASE_URL},
        )
