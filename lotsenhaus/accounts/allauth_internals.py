"""The parts of django-allauth we rely on that are not its public API – its ``internal`` packages and underscore
methods – wrapped once (issue 19, item 4). An allauth upgrade that moves one of them breaks this module and
``accounts/tests/test_allauth_internals.py``, not a sign-in flow somewhere else. Nothing else imports them.
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import ratelimit
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.http import HttpRequest

from lotsenhaus.accounts.actors import Actor


def authentication_methods(request: HttpRequest, user: Actor) -> list[str]:
    """How the person authenticated in this session (``password``, ``socialaccount``, ``mfa`` …)."""
    return [str(record.get("method")) for record in get_authentication_records(request, user)]


def totp_activate(user: Actor, secret: str) -> None:
    """Give a person a TOTP authenticator with a known secret (the demo's and the tests' accounts only)."""
    TOTP.activate(user, secret)


def totp_current_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``, as allauth checks it."""
    counters = list(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))


def login_failures_left(adapter: Any, request: HttpRequest, login: str) -> bool:
    """Whether allauth's limit of failed sign-ins for this account still has room (asked without counting)."""
    cache_key = adapter._get_login_attempts_cache_key(request, email=login)
    return bool(ratelimit.consume(request, action="login_failed", key=cache_key, dry_run=True))
