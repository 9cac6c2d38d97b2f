"""Safe by default in production (issue 20): the demo's published credentials open nothing, the demo commands
refuse to run, and a mail backend that delivers nothing is refused at start."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from lotsenhaus.core.known_accounts import DEMO_EMAILS, DEMO_PASSWORD
from lotsenhaus.core.roles import Role
from tests.factories import PASSWORD, make_person
from tests.test_web_security import production_env

ROOT = Path(__file__).resolve().parent.parent
LOTSENHAUS = [sys.executable, "-m", "lotsenhaus"]


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = production_env(tmp_path, **extra)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' process; check --deploy refuses it
    return subprocess.run([*LOTSENHAUS, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def _login_error_codes(response) -> set[str]:
    return {e.code for e in response.context["form"].non_field_errors().as_data()}


def test_the_demo_commands_refuse_under_production_settings(tmp_path):
    demo = _run(tmp_path, "demo", "--no-serve")
    assert demo.returncode != 0 and "refused under production settings" in demo.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0
    totp = _run(tmp_path, "totp-demo")
    assert totp.returncode != 0 and "refused under production settings" in totp.stderr
    assert totp.stdout == ""


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_production_refuses_a_mail_backend_that_delivers_nothing(tmp_path, backend):
    result = _run(tmp_path, "check", EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend")
    assert result.returncode != 0 and "delivers no mail" in result.stderr


def test_check_deploy_names_demo_accounts_in_a_production_database(tmp_path):
    assert _run(tmp_path, "migrate", "--verbosity", "0").returncode == 0
    clean = _run(tmp_path, "check", "--deploy", "--fail-level", "ERROR")
    assert clean.returncode == 0, clean.stderr
    create = "from lotsenhaus.accounts.models import User; User.objects.create(email='admin@lotsenhaus.example')"
    assert _run(tmp_path, "shell", "-c", create).returncode == 0
    found = _run(tmp_path, "check", "--deploy", "--fail-level", "ERROR")
    assert found.returncode != 0 and "lotsenhaus.E001" in found.stderr and "admin@lotsenhaus.example" in found.stderr


@pytest.mark.django_db
@override_settings(LOTSENHAUS_PRODUCTION=True)
def test_production_signs_in_no_demo_account_and_nobody_with_the_demo_password():
    demo_admin = make_person(Role.PLATFORM_ADMIN, email=sorted(DEMO_EMAILS)[0], totp=False)
    browser = Client()
    refused = browser.post(reverse("account_login"), {"login": demo_admin.email, "password": PASSWORD})
    assert refused.status_code == 200 and _login_error_codes(refused) == {"demo_account"}
    assert "_auth_user_id" not in browser.session

    colleague = make_person(Role.NEED_OWNER)
    colleague.set_password(DEMO_PASSWORD)
    colleague.save()
    refused = browser.post(reverse("account_login"), {"login": colleague.email, "password": DEMO_PASSWORD})
    assert _login_error_codes(refused) == {"demo_account"} and "_auth_user_id" not in browser.session
    with pytest.raises(ValidationError) as raised:
        validate_password(DEMO_PASSWORD, colleague)
    assert "password_published" in {e.code for e in raised.value.error_list}

    # Any other way in (here: the adapter's login step that SSO and e-mail codes pass) meets the same refusal.
    from allauth.account.adapter import get_adapter
    from django.test import RequestFactory

    with pytest.raises(PermissionDenied):
        get_adapter().pre_login(
            RequestFactory().get("/"),
            demo_admin,
            email_verification="none",
            signal_kwargs=None,
            email=None,
            signup=False,
            redirect_url=None,
        )


@pytest.mark.django_db
def test_outside_production_the_demo_accounts_sign_in():
    person = make_person(Role.NEED_OWNER, email="bedarf@bsw.hamburg.de")
    person.set_password(DEMO_PASSWORD)
    person.save()
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": person.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in browser.session


def test_the_refused_addresses_are_exactly_the_demo_worlds_people():
    from lotsenhaus.demo.data import PEOPLE

    assert {email for email, *_rest in PEOPLE} == DEMO_EMAILS
