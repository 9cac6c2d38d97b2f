"""Single sign-on against a real OpenID Connect provider running in its own process on loopback."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

from lotsenhaus.accounts.models import User
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role, roles_of
from lotsenhaus.organisations.models import Membership, MembershipRole, OrganisationKind
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_ID = "verwaltung"
CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.run", str(port), CALLBACK],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("OIDC provider did not start: " + process.stdout.read().decode())
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Verwaltungs-Login",
                    "client_id": "lotsenhaus",
                    "secret": "lotsenhaus-secret",
                    "settings": {"server_url": f"{provider}/o", "oauth_pkce_enabled": True},
                }
            ]
        }
    }
    settings.LOTSENHAUS_OIDC = {
        **settings.LOTSENHAUS_OIDC,
        "role_map": {"lotsenhaus-admin": "admin", "lotsenhaus-user": "member"},
    }
    return provider


def _sign_in(client, provider: str, username: str):
    """Walk the authorisation code flow as a browser would: our app, the provider's login, back."""
    response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
    assert response.status_code == 302, response.content
    authorize_url = response["Location"]
    assert authorize_url.startswith(provider)
    browser = requests.Session()
    login_page = browser.get(authorize_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    answer = browser.post(
        login_page.url,
        data={
            "username": username,
            "password": "provider-password",
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    # Follow the provider's own redirects until it sends the browser back to Lotsenhaus.
    while answer.status_code in (301, 302) and not answer.headers["Location"].startswith(CALLBACK):
        answer = browser.get(urljoin(answer.url, answer.headers["Location"]), allow_redirects=False)
    location = answer.headers.get("Location", "")
    assert location.startswith(CALLBACK), answer.text[:2000]
    return client.get(location[len("http://testserver") :], follow=True)


def test_sso_creates_the_member_in_the_right_organisation(client, sso):
    authority = OrganisationFactory.create(name="Behörde für Stadtentwicklung und Wohnen", slug="bsw")
    response = _sign_in(client, sso, "lea")
    user = User.objects.get(email="lea.lange@bsw.hamburg.de")
    assert response.context["user"] == user
    assert user.name == "Lea Lange"
    membership = Membership.objects.get(user=user)
    assert membership.organisation == authority
    assert membership.role == MembershipRole.ADMIN
    assert roles_of(User.objects.get(pk=user.pk)) == {Role.NEED_OWNER.value}
    assert AuditEntry.objects.filter(action="membership.add_sso", actor=user).exists()
    # A second sign-in finds the same person; nothing is duplicated.
    client.logout()
    _sign_in(client, sso, "lea")
    assert User.objects.filter(email="lea.lange@bsw.hamburg.de").count() == 1
    assert Membership.objects.filter(user=user).count() == 1


def test_sso_falls_back_to_the_email_domain(client, sso):
    district = OrganisationFactory.create(
        name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT, email_domains="altona.hamburg.de"
    )
    _sign_in(client, sso, "tom")
    membership = Membership.objects.get(user__email="tom.tiedemann@altona.hamburg.de")
    assert membership.organisation == district
    assert membership.role == MembershipRole.MEMBER


def test_unknown_organisation_and_forged_roles_grant_nothing(client, sso):
    OrganisationFactory.create(name="Venture-Client-Einheit", kind=OrganisationKind.VENTURE_CLIENT_UNIT)
    response = _sign_in(client, sso, "uwe")
    user = User.objects.get(email="uwe@nirgendwo.example")
    assert not Membership.objects.filter(user=user).exists()
    assert not user.is_superuser
    assert response.request["PATH_INFO"] == reverse("dashboard")
    assert "Warten auf Zuordnung" in response.content.decode()
