import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role, roles_of
from lotsenhaus.organisations.models import Membership, OrganisationKind
from lotsenhaus.startups.models import Solution, StartupProfile, Verification
from tests.factories import PASSWORD, OrganisationFactory, make_person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _startup(name="Aktenblick GmbH", verification=Verification.UNVERIFIED, **profile):
    member = make_person(
        Role.STARTUP_MEMBER, organisation=OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
    )
    startup = StartupProfile.objects.create(
        organisation=member.memberships.get().organisation, verification=verification, **profile
    )
    return startup, member


def test_a_startup_registers_itself_and_waits_for_verification(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Sara Startup",
            "email": "sara@aktenblick.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "startup_name": "Aktenblick GmbH",
            "startup_website": "https://aktenblick.example",
        },
    )
    assert response.status_code == 302
    profile = StartupProfile.objects.get(organisation__name="Aktenblick GmbH")
    assert profile.verification == Verification.UNVERIFIED
    membership = Membership.objects.get(organisation=profile.organisation)
    assert membership.user.email == "sara@aktenblick.example" and membership.role == "admin"
    assert roles_of(membership.user) == {Role.STARTUP_MEMBER.value}
    assert AuditEntry.objects.filter(action="startup.register").exists()
    # Verify the e-mail address, then sign in: the own, unverified profile is visible to its members.
    link = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[0].body)).group(1)
    client.post(link)
    page = client.get(reverse("startups:detail", args=[profile.pk]))
    assert page.status_code == 200
    assert "Noch nicht geprüft" in page.content.decode()


def test_registering_a_taken_startup_name_saves_nothing(client):
    OrganisationFactory.create(name="Aktenblick GmbH", kind=OrganisationKind.STARTUP)
    response = client.post(
        reverse("account_signup"),
        {
            "name": "X",
            "email": "x@y.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "startup_name": "aktenblick gmbh",
        },
    )
    assert response.status_code == 200
    assert "existiert bereits" in response.content.decode()
    assert not EmailAddress.objects.filter(email="x@y.example").exists()


def test_unverified_startups_are_hidden_until_the_unit_verifies_them():
    startup, member = _startup()
    need_owner = _client(make_person(Role.NEED_OWNER))
    assert "Aktenblick GmbH" not in need_owner.get(reverse("startups:directory")).content.decode()
    assert need_owner.get(reverse("startups:detail", args=[startup.pk])).status_code == 403
    coordinator = _client(make_person(Role.COORDINATOR))
    assert (
        "Aktenblick GmbH"
        in coordinator.get(reverse("startups:directory"), {"verification": "unverified"}).content.decode()
    )
    coordinator.post(reverse("startups:verify", args=[startup.pk]), {"decision": "verified"})
    startup.refresh_from_db()
    assert startup.verification == Verification.VERIFIED
    assert "Geprüft" in need_owner.get(reverse("startups:detail", args=[startup.pk])).content.decode()
    assert "Aktenblick GmbH" in need_owner.get(reverse("startups:directory")).content.decode()
    assert AuditEntry.objects.filter(action="startup.verified").exists()
    # Startups cannot verify themselves.
    other, _member = _startup("Zweite GmbH")
    assert (
        _client(member).post(reverse("startups:verify", args=[other.pk]), {"decision": "verified"}).status_code == 403
    )


def test_profile_edit_shows_completeness_and_refuses_bad_input():
    startup, member = _startup()
    client = _client(member)
    page = client.get(reverse("startups:detail", args=[startup.pk])).content.decode()
    assert "zu 0 % vollständig" in page
    response = client.post(
        reverse("startups:edit", args=[startup.pk]),
        {
            "version": 1,
            "short_description": "x" * 351,
            "founding_year": "1800",
            "contact_email": "kaputt",
            "hosting_locations": ["mars"],
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "höchstens 350 Zeichen" in " ".join(errors["short_description"])
    assert "1900" in " ".join(errors["founding_year"])
    assert "gültige E-Mail-Adresse" in " ".join(errors["contact_email"])
    assert "keine gültige Auswahl" in " ".join(errors["hosting_locations"])
    response = client.post(
        reverse("startups:edit", args=[startup.pk]),
        {
            "version": 1,
            "short_description": "Dokumentenverstehen für E-Akten",
            "seat": "Hamburg",
            "hosting_locations": ["de"],
            "founding_year": "2021",
        },
    )
    assert response.status_code == 302
    startup.refresh_from_db()
    assert startup.hosting_locations == ["de"] and startup.version == 2
    page = client.get(reverse("startups:detail", args=[startup.pk])).content.decode()
    assert "Deutschland" in page and "% vollständig" in page and "zu 0 %" not in page
    stale = client.post(reverse("startups:edit", args=[startup.pk]), {"version": 1, "seat": "Berlin"})
    assert "in der Zwischenzeit" in stale.content.decode()


def test_solutions_are_added_changed_and_deleted_by_their_startup_only():
    startup, member = _startup(verification=Verification.VERIFIED)
    client = _client(member)
    data = {
        "name": "Aktenblick Eingang",
        "description": "Erkennt fehlende Unterlagen.",
        "maturity": "pilot_ready",
        "technologies": ["ai_text"],
        "deployment": ["saas", "on_premises"],
        "interfaces": "XÖV, FIT-Connect",
    }
    assert client.post(reverse("startups:solution_create", args=[startup.pk]), data).status_code == 302
    solution = Solution.objects.get()
    assert solution.technologies == ["ai_text"] and solution.deployment == ["saas", "on_premises"]
    bad = client.post(
        reverse("startups:solution_create", args=[startup.pk]), {**data, "maturity": "vaporware", "name": ""}
    )
    assert bad.status_code == 422 and Solution.objects.count() == 1
    other_member = make_person(Role.STARTUP_MEMBER)
    intruder = _client(other_member)
    assert intruder.post(reverse("startups:solution_edit", args=[startup.pk, solution.pk]), data).status_code == 403
    assert intruder.post(reverse("startups:solution_delete", args=[startup.pk, solution.pk])).status_code == 403
    client.post(reverse("startups:solution_delete", args=[startup.pk, solution.pk]))
    assert not Solution.objects.exists()
    assert {"solution.create", "solution.delete"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_references_and_certifications(client):
    startup, member = _startup()
    client = _client(member)
    client.post(
        reverse("startups:item_add", args=[startup.pk, "reference"]),
        {"reference-public_body": "Bezirksamt Altona", "reference-what": "Pilot E-Akte", "reference-year": "2024"},
    )
    client.post(reverse("startups:item_add", args=[startup.pk, "certification"]), {"certification-kind": "iso_27001"})
    client.post(
        reverse("startups:item_add", args=[startup.pk, "contact"]),
        {"contact-name": "Tom Technik", "contact-role": "Technik", "contact-email": "tom@aktenblick.example"},
    )
    client.post(
        reverse("startups:item_add", args=[startup.pk, "contact"]),
        {"contact-name": "Vera Vertrieb", "contact-role": "Vertrieb", "contact-email": "vera@aktenblick.example"},
    )
    bad = client.post(
        reverse("startups:item_add", args=[startup.pk, "contact"]),
        {"contact-name": "X", "contact-email": "kaputt"},
        follow=True,
    )
    assert "gültige E-Mail-Adresse" in bad.content.decode()
    assert startup.references.count() == 1 and startup.certifications.count() == 1 and startup.contacts.count() == 2
    page = _client(make_person(Role.COORDINATOR)).get(reverse("startups:detail", args=[startup.pk])).content.decode()
    assert "tom@aktenblick.example" in page and "vera@aktenblick.example" in page
    response = client.post(
        reverse("startups:item_add", args=[startup.pk, "reference"]),
        {"reference-public_body": "X", "reference-what": "Y", "reference-year": "2999"},
        follow=True,
    )
    assert "Zukunft" in response.content.decode()
    assert startup.references.count() == 1


def test_the_unit_scouts_a_startup_that_claims_it_later():
    coordinator = _client(make_person(Role.COORDINATOR))
    coordinator.post(
        reverse("startups:scout"), {"name": "Brückenauge GmbH", "website": "https://www.brueckenauge.example"}
    )
    profile = StartupProfile.objects.get(organisation__name="Brückenauge GmbH")
    assert profile.scouted and not profile.organisation.memberships.exists()
    stranger = make_person(None, email="jemand@anderswo.example")
    response = _client(stranger).post(reverse("startups:claim", args=[profile.pk]), follow=True)
    assert "brueckenauge.example" in response.content.decode()
    assert not profile.organisation.memberships.exists()
    founder = make_person(None, email="gruenderin@brueckenauge.example")
    _client(founder).post(reverse("startups:claim", args=[profile.pk]))
    profile.refresh_from_db()
    assert not profile.scouted
    assert Membership.objects.get(organisation=profile.organisation).user == founder


def test_directory_search_and_fixed_query_count():
    _startup("Aktenblick GmbH", verification=Verification.VERIFIED, short_description="Dokumentenverstehen")
    _startup("Terminwerk GmbH", verification=Verification.VERIFIED, short_description="Terminvergabe")
    client = _client(make_person(Role.NEED_OWNER))
    body = client.get(reverse("startups:directory"), {"q": "termin"}).content.decode()
    assert "Terminwerk" in body and "Aktenblick" not in body
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("startups:directory"))
    for i in range(15):
        startup, _m = _startup(f"Startup {i}", verification=Verification.VERIFIED)
        Solution.objects.create(profile=startup, name="L", description="D")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("startups:directory"))
    assert len(many) == len(few)


def test_the_directory_reads_its_name_order_from_the_profiles_own_index():
    """After a large import of unverified startups, the verified directory must not walk them (issue 22)."""
    zeta, _m = _startup("Zeta GmbH", verification=Verification.VERIFIED)
    _startup("Beta GmbH", verification=Verification.VERIFIED)
    _startup("Alpha GmbH")  # unverified: sorted first, hidden from a need owner
    _own, member = _startup("Aaron GmbH")  # unverified, but the startup's own member sees it
    owner = _client(make_person(Role.NEED_OWNER))

    def names(client):
        page = client.get(reverse("startups:directory")).content.decode()
        return re.findall(r"(Aaron|Alpha|Beta|Omega|Zeta) GmbH", page)

    assert names(owner)[:2] == ["Beta", "Zeta"] and "Alpha" not in names(owner)
    assert names(_client(member))[:3] == ["Aaron", "Beta", "Zeta"]
    # Renaming the organisation re-sorts its profile (the copy of the name follows).
    from lotsenhaus.organisations.services import organisation_update

    organisation_update(actor=make_person(Role.COORDINATOR), organisation=zeta.organisation, name="Omega GmbH")
    zeta.refresh_from_db()
    assert zeta.name == "Omega GmbH" and names(owner)[:2] == ["Beta", "Omega"]
    # The need owner's condition is the plain "verified" the index answers (no list of own organisations).
    with CaptureQueriesContext(connection) as queries:
        owner.get(reverse("startups:directory"))
    listing = next(q["sql"] for q in queries if 'FROM "startups_startupprofile"' in q["sql"] and "LIMIT" in q["sql"])
    assert 'organisation_id" IN' not in listing and 'ORDER BY "startups_startupprofile"."name"' in listing


def test_anonymous_cannot_see_the_directory(client):
    assert client.get(reverse("startups:directory")).status_code == 302


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_screenshots_are_checked_by_content_and_served_only_to_those_allowed(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotsenhaus.startups.models import SolutionImage

    settings.MEDIA_ROOT = tmp_path
    startup, member = _startup(verification=Verification.VERIFIED)
    solution = Solution.objects.create(profile=startup, name="Eingang", description="D")
    client = _client(member)
    url = reverse("startups:image_add", args=[startup.pk, solution.pk])
    bad = [
        (
            SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png"),
            "Beschreibung",
            "PNG, JPEG oder WebP",
        ),
        (SimpleUploadedFile("x.png", PNG, content_type="image/png"), "", "zwingend erforderlich"),
        (
            SimpleUploadedFile("x.png", PNG + b"0" * (2 * 1024 * 1024), content_type="image/png"),
            "Groß",
            "größer als 2 MB",
        ),
    ]
    for upload, alt, message in bad:
        response = client.post(url, {"image": upload, "alt_text": alt}, follow=True)
        assert message in response.content.decode(), message
    assert not SolutionImage.objects.exists()
    client.post(url, {"image": SimpleUploadedFile("s.png", PNG, content_type="image/png"), "alt_text": "Eingangsmaske"})
    image = SolutionImage.objects.get()
    name = str(image.file.name)
    assert name.endswith(".png") and "s.png" not in name
    page = _client(make_person(Role.NEED_OWNER)).get(reverse("startups:detail", args=[startup.pk])).content.decode()
    assert 'alt="Eingangsmaske"' in page
    served = _client(make_person(Role.NEED_OWNER)).get(reverse("startups:image", args=[image.pk]))
    assert served["Content-Type"] == "image/png"
    assert Client().get(reverse("startups:image", args=[image.pk])).status_code == 302
    StartupProfile.objects.filter(pk=startup.pk).update(verification=Verification.UNVERIFIED)
    assert _client(make_person(Role.NEED_OWNER)).get(reverse("startups:image", args=[image.pk])).status_code == 403
