import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.accounts.models import ApiToken, User
from lotsenhaus.accounts.services import api_token_create
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import OrganisationKind
from tests.factories import PASSWORD, OrganisationFactory, make_person
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def _bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_person_creates_a_token_on_the_page_and_uses_it():
    user = make_person(Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Excel-Bericht", "days": "90", "scope": "write"})
    token = response.context["new_token"]
    assert token.startswith("lh_") and token in response.content.decode()
    stored = ApiToken.objects.get()
    assert token not in (stored.digest, stored.prefix)  # only a hash is kept
    api = Client()
    me = api.get("/api/v1/me", **_bearer(token))
    assert me.status_code == 200 and me.json()["email"] == user.email
    assert api.get("/api/v1/organisations", **_bearer(token)).status_code == 200
    # Writes with a token need no CSRF cookie.
    created = api.post(
        "/api/v1/organisations",
        json.dumps({"name": "Bezirksamt Harburg", "kind": "bezirksamt"}),
        content_type="application/json",
        **_bearer(token),
    )
    assert created.status_code == 201
    assert token not in client.get(reverse("accounts:api_tokens")).content.decode()
    client.post(reverse("accounts:api_token_revoke", args=[stored.pk]))
    assert api.get("/api/v1/me", **_bearer(token)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke").exists()


@pytest.mark.parametrize("token", ["", "lh_abc", "lh_deadbeef_wrong", "Basic xyz", "lh_" + "x" * 500])
def test_bad_tokens_are_refused(token):
    make_person(Role.NEED_OWNER)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_expired_tokens_and_tokens_of_deactivated_people_are_refused():
    user = make_person(Role.NEED_OWNER)
    api_token, token = api_token_create(actor=user, name="Kurz", days=1)
    assert Client().get("/api/v1/me", **_bearer(token)).status_code == 200
    ApiToken.objects.filter(pk=api_token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/v1/me", **_bearer(token)).status_code == 401
    _api_token, token = api_token_create(actor=user, name="Lang", days=365)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get("/api/v1/me", **_bearer(token)).status_code == 401


def test_no_one_creates_tokens_for_other_people():
    user, other = make_person(Role.COORDINATOR), make_person(Role.NEED_OWNER)
    with refused("not_allowed"):
        api_token_create(actor=user, user=other, name="Fremd", days=30)


def test_a_system_account_gets_a_token_and_the_rights_of_its_organisation():
    make_person(Role.PLATFORM_ADMIN)
    OrganisationFactory.create(slug="vergabe", kind=OrganisationKind.OTHER_PUBLIC)
    out = io.StringIO()
    call_command(
        "service-account", "vergabe@system.example", name="Vergabeplattform", organisation="vergabe", stdout=out
    )
    token = out.getvalue().strip()
    system = User.objects.get(email="vergabe@system.example")
    assert system.is_service_account and not system.has_usable_password()
    me = Client().get("/api/v1/me", **_bearer(token)).json()
    assert me["roles"] == ["need_owner"]
    assert not Client().login(email="vergabe@system.example", password="")


def test_a_read_only_token_reads_but_cannot_write():
    user = make_person(Role.COORDINATOR)
    _api_token, token = api_token_create(actor=user, name="Bericht", days=30)  # read only unless asked
    assert Client().get("/api/v1/organisations", **_bearer(token)).status_code == 200
    refused = Client().post(
        "/api/v1/organisations",
        json.dumps({"name": "Bezirksamt Harburg", "kind": "bezirksamt"}),
        content_type="application/json",
        **_bearer(token),
    )
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="organisation.create").exists()


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_every_token_ends_within_the_configured_maximum(days):
    user = make_person(Role.NEED_OWNER)
    with pytest.raises(ApplicationError) as raised:
        api_token_create(actor=user, name="Ewig", days=days)
    assert raised.value.code == "invalid_value" and raised.value.field == "days"
    browser = Client()
    browser.force_login(user)
    page = browser.post(reverse("accounts:api_tokens"), {"name": "Ewig", "days": str(days), "scope": "read"})
    assert page.status_code == 200 and not ApiToken.objects.exists()


def test_a_password_change_or_reset_revokes_every_token(django_capture_on_commit_callbacks):
    from django.core import mail

    user = make_person(Role.NEED_OWNER)
    _t, first = api_token_create(actor=user, name="Eins", days=30)
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Ein-neues-Passwort-42", "password2": "Ein-neues-Passwort-42"},
    )
    assert response.status_code == 302
    assert Client().get("/api/v1/me", **_bearer(first)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke_all").count() == 1

    _t, second = api_token_create(actor=user, name="Zwei", days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    reset = Client()
    form_url = reset.get(link)["Location"]
    done = reset.post(form_url, {"password1": "Noch-ein-Passwort-43", "password2": "Noch-ein-Passwort-43"})
    assert done.status_code == 302
    assert Client().get("/api/v1/me", **_bearer(second)).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
