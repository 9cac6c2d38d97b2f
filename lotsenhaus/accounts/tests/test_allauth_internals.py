"""The allauth internals we rely on (accounts/allauth_internals.py), each on its own: an allauth upgrade that moves
one of them fails here by name."""

import pyotp
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from lotsenhaus.accounts.adapters import AccountAdapter
from lotsenhaus.accounts.allauth_internals import authentication_methods, login_failures_left, totp_current_code
from lotsenhaus.core.roles import Role
from tests.factories import PASSWORD, TOTP_SECRET, has_totp, make_person

pytestmark = pytest.mark.django_db


def test_the_current_totp_code_is_the_one_an_authenticator_app_shows_and_it_signs_in():
    person = make_person(Role.COORDINATOR)  # activated through totp_activate
    assert has_totp(person)
    code = totp_current_code(TOTP_SECRET)
    assert pyotp.TOTP(TOTP_SECRET).verify(code, valid_window=1)
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    answer = client.post(reverse("mfa_authenticate"), {"code": code})
    assert answer.status_code == 302 and int(client.session["_auth_user_id"]) == person.pk


def test_the_authentication_methods_name_a_password_sign_in():
    person = make_person(Role.NEED_OWNER)
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    request = RequestFactory().get("/")
    request.session = SessionStore(client.session.session_key)
    assert authentication_methods(request, person) == ["password"]
    request.session = SessionStore()  # a session that was not signed into
    assert authentication_methods(request, person) == []


def test_the_failed_sign_ins_left_run_out_at_the_accounts_limit():
    person = make_person(Role.NEED_OWNER)
    adapter = AccountAdapter()
    request = RequestFactory().post(reverse("account_login"))
    assert login_failures_left(adapter, request, person.email)
    for attempt in range(5):  # LOTSENHAUS_LOGIN_RATE: 5 failures per account in five minutes
        Client(REMOTE_ADDR=f"10.0.1.{attempt}").post(
            reverse("account_login"), {"login": person.email, "password": "falsch"}
        )
    assert not login_failures_left(adapter, request, person.email)
