import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from lotsenhaus.accounts.models import User
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from tests.factories import PASSWORD, has_totp, make_person, totp_code

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Nina Neu",
    "email": "nina@startup.example",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _link(message: object) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", str(message)).group(1)


def test_sign_up_verify_and_sign_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="nina@startup.example")
    assert user.name == "Nina Neu"
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    assert "_auth_user_id" not in client.session
    # The mail greets from the product, not from the host the request came in on (issue 17, D20).
    assert "Lotsenhaus" in mail.outbox[0].body and "testserver" not in mail.outbox[0].body.split("http")[0]

    # Not verified yet: signing in is not possible.
    client.logout()
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    confirm_path = _link(mail.outbox[0].body)
    response = client.get(confirm_path)
    assert response.status_code == 200
    response = client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEntry.objects.filter(action="user.email_verified", actor=user).exists()
    assert AuditEntry.objects.filter(action="user.sign_up", actor=user).exists()

    client.logout()
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD}, follow=True)
    assert response.context["user"] == user
    assert response.request["PATH_INFO"] == reverse("dashboard")
    # Without an organisation the dashboard says what happens next.
    assert "Warten auf Zuordnung" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "x" * 151}, "name", "höchstens 150 Zeichen"),
        ({"email": "keine-adresse"}, "email", "gültige E-Mail-Adresse"),
        ({"password1": "kurz", "password2": "kurz"}, "password1", "zu kurz"),
        ({"name": ""}, "name", "Dieses Feld ist zwingend erforderlich"),
    ],
)
def test_sign_up_refuses_bad_input_in_german(client, change, field, message):
    response = client.post(reverse("account_signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_taken_address_tells_the_owner_by_mail_not_the_form(client, django_capture_on_commit_callbacks):
    """No account enumeration: the page answers as for a new address; the address's owner gets a mail."""
    from django.core import mail

    make_person(None, email="nina@startup.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["nina@startup.example"]]


def test_failed_logins_are_throttled(client):
    make_person(Role.NEED_OWNER, email="amt@bsw.example")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "amt@bsw.example", "password": "falsch"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": "amt@bsw.example", "password": PASSWORD})
    assert "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_coordinator_must_set_up_two_factor_before_anything_else(client, django_capture_on_commit_callbacks):
    user = make_person(Role.COORDINATOR, totp=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("organisations:list")).status_code == 302
    assert client.get("/api/v1/me").status_code == 403

    # allauth asks for the password once more before a second factor is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert has_totp(user)
    assert AuditEntry.objects.filter(action="user.mfa_added", actor=user).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_coordinator_with_totp_needs_the_code_to_sign_in(client):
    user = make_person(Role.COORDINATOR)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("dashboard")).status_code == 200


def test_need_owner_is_not_forced_into_two_factor(client):
    user = make_person(Role.NEED_OWNER)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200


def test_profile_change_is_audited(client_for):
    client = client_for(Role.STARTUP_MEMBER)
    response = client.post(reverse("accounts:profile"), {"name": "Neuer Name"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.update")
    # The audit log cannot be changed after an erasure, so it says which field changed, not the name.
    assert entry.changes == {"changed": ["name"]}
    assert "Neuer Name" not in entry.object_repr


def test_password_reset_link_works_once(client):
    user = make_person(Role.STARTUP_MEMBER, email="vergessen@startup.example")
    client.post(reverse("account_reset_password"), {"email": "vergessen@startup.example"})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0].body)
    form_page = client.get(link, follow=True)
    new = {"password1": "Ganz-neues-Passwort-7", "password2": "Ganz-neues-Passwort-7"}
    response = client.post(form_page.request["PATH_INFO"], new)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Ganz-neues-Passwort-7")
    assert AuditEntry.objects.filter(action="user.password_changed", actor=user).exists()
    # The same link cannot be used a second time.
    again = client.__class__().get(link, follow=True)
    assert "ungültig" in again.content.decode()


def test_the_sign_up_page_says_what_is_stored_and_links_the_privacy_notice(client):
    """Issue 17: the sign-up had no privacy notice."""
    page = client.get(reverse("account_signup")).content.decode()
    assert reverse("privacy") in page and "Datenschutzerklärung" in page
