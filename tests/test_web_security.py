"""Web security as a suite: headers on every kind of response, HSTS and secure cookies in production, CSRF on
every state change, session expiry and the lock after repeated failed sign-ins.

Further properties are tested where they live (see docs/trust.md): uploads checked by content
(needs/tests/test_answers.py), Markdown sanitised (knowledge/tests/test_knowledge.py), MFA enforced for
privileged roles and single-use reset links (accounts/tests/test_sign_in.py), ``check --deploy`` clean
(tests/test_project.py).
"""

import datetime
import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lotsenhaus.core.roles import Role
from tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

# Views that take a POST without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    # One-click unsubscribe from a mail client (RFC 8058): the signed token in the URL is the secret.
    "lotsenhaus.notifications.views.unsubscribe",
    # The REST API checks CSRF itself for cookie sessions; bearer tokens are not sent by browsers on their own.
    "ninja.operation.PathView.get_view.<locals>.sync_view_wrapper",
}


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    """The environment of a subprocess under production settings on its own SQLite file; no LOTSENHAUS_ setting
    of this process leaks in."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LOTSENHAUS_")},
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOTSENHAUS_VAR_DIR": str(tmp_path),
        **extra,
    }


def _views(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _check_headers(response):
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_kind_of_response_carries_the_security_headers(client_for):
    coordinator = client_for(Role.COORDINATOR)
    responses = [
        Client().get(reverse("home")),
        Client().get(reverse("needs:board")),
        Client().get("/gibt-es-nicht/"),  # error page
        Client().get("/api/v1/needs"),  # API
        Client().post(reverse("account_login"), {"login": "x@example.org", "password": "falsch"}),  # form errors
        coordinator.get(reverse("dashboard")),
        coordinator.get(reverse("core:audit_log")),
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 200, 200, 200]
    for response in responses:
        _check_headers(response)


def test_production_sends_hsts_redirects_to_https_and_marks_cookies_secure(tmp_path):
    script = """
import django
django.setup()
from django.conf import settings
from django.test import Client
plain = Client().get("/accounts/login/")
secure = Client().get("/accounts/login/", secure=True)
print("redirect", plain.status_code, plain.get("Location"))
print("hsts", secure.get("Strict-Transport-Security"))
cookie = secure.cookies["csrftoken"]
print("csrf", bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"])
print("session", settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE)
"""
    env = production_env(tmp_path)
    subprocess.run([sys.executable, "-m", "lotsenhaus", "migrate", "-v0"], env=env, check=True, cwd=tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout
    assert "redirect 301 https://testserver/accounts/login/" in out
    assert "hsts max-age=31536000; includeSubDomains; preload" in out
    assert "csrf True True Lax" in out
    assert "session True True Lax" in out


def test_every_state_change_needs_a_csrf_token():
    exempt = {
        f"{view.__module__}.{getattr(view, '__qualname__', view.__name__)}"
        for _, view in _views()
        if getattr(view, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT


def test_forms_and_the_api_refuse_posts_without_a_csrf_token(client_for):
    person = make_person(Role.NEED_OWNER)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    for url in (reverse("needs:create"), reverse("accounts:profile"), reverse("accounts:personal_data")):
        assert browser.post(url, {"name": "Neu"}).status_code == 403, url
    response = browser.post("/api/v1/needs", "{}", content_type="application/json")
    assert response.status_code == 403
    # With the token from the page the same post goes through to the form (and fails there on its content).
    page = browser.get(reverse("accounts:profile"))
    token = page.cookies["csrftoken"].value
    assert browser.post(reverse("accounts:profile"), {"name": "Neu"}, HTTP_X_CSRFTOKEN=token).status_code == 302


def test_session_cookies_are_http_only_and_sessions_expire(settings):
    person = make_person(Role.NEED_OWNER)
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser …
    expires = Session.objects.get().expire_date  # … and on the server after eight hours at the latest
    assert abs((expires - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert browser.get(reverse("dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = browser.get(reverse("dashboard"))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("account_login"))


def test_an_account_is_locked_after_repeated_failures_whatever_the_address(client):
    person = make_person(Role.NEED_OWNER)
    for attempt in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{attempt}").post(
            reverse("account_login"), {"login": person.email, "password": "falsch"}
        )
    other_place = Client(REMOTE_ADDR="10.9.9.9")
    response = other_place.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in other_place.session
    # Another account is not affected by the lock.
    colleague = make_person(Role.NEED_OWNER)
    assert (
        other_place.post(reverse("account_login"), {"login": colleague.email, "password": PASSWORD}).status_code == 302
    )


def test_a_refused_request_is_logged_as_one_line_without_traceback(client, caplog):
    """Issue 17, D43: every legitimate 403 wrote a full traceback to the log."""
    import logging

    from lotsenhaus.core.roles import Role
    from tests.factories import make_person

    client.force_login(make_person(Role.NEED_OWNER))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/vergabe/wertgrenzen/1/").status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.exc_info is None for r in refusals)
