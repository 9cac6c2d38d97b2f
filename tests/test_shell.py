"""The page shell: navigation by role, legal pages, language, error pages, health, feedback."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotsenhaus import __version__
from lotsenhaus.core import health
from lotsenhaus.core.models import AccessibilityFeedback, AuditEntry
from lotsenhaus.core.roles import Role

pytestmark = pytest.mark.django_db

NAV = [
    "Übersicht", "Suche", "Bedarfe", "Arbeitsbereich Bedarfe", "Pipeline", "Piloten", "Portfolio", "Begleitprogramm",
    "Startups", "KI-Register", "Wissen", "Veranstaltungen", "KI-Anwendungen", "Meine Bewertungen", "Organisationen",
    "Protokoll", "Mein Konto",
]  # fmt: skip
UNIT_NAV = NAV
EXPECTED_NAV = {
    None: ["Übersicht", "Suche", "Bedarfe", "Startups", "KI-Register", "Wissen", "Veranstaltungen", "Mein Konto"],
    Role.STARTUP_MEMBER: [
        "Übersicht",
        "Suche",
        "Bedarfe",
        "Piloten",
        "Startups",
        "KI-Register",
        "Wissen",
        "Veranstaltungen",
        "Organisationen",
        "Mein Konto",
    ],
    Role.NEED_OWNER: [
        "Übersicht",
        "Suche",
        "Bedarfe",
        "Arbeitsbereich Bedarfe",
        "Piloten",
        "Startups",
        "KI-Register",
        "Wissen",
        "Veranstaltungen",
        "KI-Anwendungen",
        "Meine Bewertungen",
        "Organisationen",
        "Mein Konto",
    ],
    Role.EXPERT: [
        "Übersicht",
        "Suche",
        "Bedarfe",
        "Startups",
        "KI-Register",
        "Wissen",
        "Veranstaltungen",
        "KI-Anwendungen",
        "Meine Bewertungen",
        "Organisationen",
        "Mein Konto",
    ],
    Role.COORDINATOR: UNIT_NAV,
    Role.PLATFORM_ADMIN: UNIT_NAV,
}
CAMPUS = ["Benachrichtigungen", "Veranstaltungen"]
EXPECTED_CARDS = {
    None: ["Warten auf Zuordnung", *CAMPUS],
    Role.STARTUP_MEMBER: ["Offene Bedarfe", "Unser Profil", "Begleitprogramm", *CAMPUS],
    Role.NEED_OWNER: ["Bedarf melden", "Meine Bedarfe", "Kandidaten", "Wissen teilen", *CAMPUS],
    Role.EXPERT: ["Bewertungen", "Wissen teilen", "Mein Profil als Expertin oder Experte", *CAMPUS],
    Role.COORDINATOR: [
        *CAMPUS,
        "Begleitprogramm",
        "Zu prüfende Artikel",
        "Wissen teilen",
        "Bedarfe in Prüfung",
        "Frist abgelaufen",
        "In Markterkundung und Bewertung",
        "Laufende Piloten",
        "Portfolio",
        "Zu prüfende Startups",
        "Protokoll",
        "Suchindex",
        "Vergabeweg",
    ],
    Role.PLATFORM_ADMIN: [
        "Organisationen und Personen",
        "Protokoll",
        "Suchindex",
        "Begleitprogramm",
        "Wissen teilen",
        *CAMPUS,
    ],
}
ALL_CARDS = sorted({card for cards in EXPECTED_CARDS.values() for card in cards})


def _nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_every_role_sees_only_its_navigation_and_cards(client_for, role):
    response = client_for(role).get(reverse("dashboard"))
    assert response.status_code == 200
    assert [str(label) for label in _nav_labels(response)] == EXPECTED_NAV[role]
    body = response.content.decode()
    nav_html = body[body.index('aria-label="Hauptnavigation"') : body.index("</nav>", body.index("Hauptnavigation"))]
    for label in NAV:
        assert (f">{label}</a>" in nav_html) == (label in EXPECTED_NAV[role])
    for card in ALL_CARDS:
        assert (f'<h2 class="kern-title">{card}</h2>' in body) == (card in EXPECTED_CARDS[role]), card


def test_anonymous_sees_only_public_navigation_and_the_public_start_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [str(label) for label in _nav_labels(response)] == [
        "Suche",
        "Bedarfe",
        "KI-Register",
        "Wissen",
        "Veranstaltungen",
    ]
    body = response.content.decode()
    assert 'href="/accounts/login/"' in body
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("name", ["imprint", "privacy", "accessibility", "easy_language"])
def test_public_pages_exist_for_everyone(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    for link in ("/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"):
        assert f'href="{link}"' in body
    assert 'class="skip-link"' in body and 'id="main"' in body


def test_easy_language_page_is_german_even_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("easy_language")).content.decode()
    assert '<div lang="de" class="easy-language">' in body
    assert "Lotsenhaus ist eine Internet-Seite." in body


def test_german_by_default_english_on_request(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de">' in response.content.decode()
    assert "Anmelden" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("account_login"))
    body = response.content.decode()
    assert '<html lang="en-gb">' in body  # English texts, the reader's (here British) formats
    assert "Sign in" in body and "Zum Inhalt springen" not in body
    assert client.get(reverse("imprint")).content.decode().count("Imprint") >= 1


def test_feedback_form_stores_the_message(client):
    response = client.post(
        reverse("accessibility"),
        {
            "name": "Frau Test",
            "email": "",
            "page_url": "/start/",
            "message": "Der Kontrast im Menü ist zu schwach.",
        },
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "Der Kontrast im Menü ist zu schwach."
    assert AuditEntry.objects.filter(action="accessibility_feedback.submit").exists()
    assert "Vielen Dank" in client.get(response["Location"]).content.decode()


def test_feedback_needs_a_message_and_a_valid_address(client):
    response = client.post(reverse("accessibility"), {"email": "kaputt", "message": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in body
    assert "gültige E-Mail-Adresse" in body
    assert 'aria-invalid="true"' in body
    assert not AccessibilityFeedback.objects.exists()


def test_not_found_page_is_kern_styled_and_german(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body and "kern-heading-large" in body


def test_forbidden_page_is_kern_styled(client_for):
    response = client_for(Role.STARTUP_MEMBER).get(reverse("core:audit_log"))
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Technischer Fehler" in html and "kern.min" in html


def test_server_error_is_answered_with_the_error_page(settings):
    settings.ROOT_URLCONF = "tests.urls_boom"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


def test_healthz_reports_database_and_migrations(client):
    health.reset_cache()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "storage": "ok",
        "version": __version__,
    }


def test_liveness_and_readiness_answer_get_and_head_without_a_session(client):
    """Issue 18: `HEAD /healthz` was 405; liveness is a check of its own that touches no database."""
    health.reset_cache()
    assert client.head("/healthz").status_code == 200
    assert client.get("/livez").json() == {"status": "ok"} and client.head("/livez").status_code == 200
    assert client.post("/livez").status_code == 405
    with CaptureQueriesContext(connection) as queries:
        client.get("/livez")
    assert len(queries) == 0


def test_healthz_fails_when_a_migration_is_pending(client):
    health.reset_cache()
    applied = MigrationRecorder(connection).migration_qs.filter(app="core")
    applied.filter(name=max(applied.values_list("name", flat=True))).delete()  # the latest one is "pending"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    health.reset_cache()


def test_security_headers_are_set(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
