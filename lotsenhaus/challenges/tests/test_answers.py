import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.challenges import services
from lotsenhaus.challenges.models import Answer, AnswerAttachment, Challenge, Status
from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups.models import Solution, StartupProfile, Verification
from tests.factories import OrganisationFactory, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _startup(name, verification=Verification.VERIFIED):
    member = make_person(
        Role.STARTUP_MEMBER, organisation=OrganisationFactory(name=name, kind=OrganisationKind.STARTUP)
    )
    profile = StartupProfile.objects.create(
        organisation=member.memberships.get().organisation, verification=verification
    )
    return profile, member


@pytest.fixture
def need():
    authority = OrganisationFactory(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    challenge = services.challenge_create(actor=owner, organisation=authority, title="Wartezeiten vorhersagen")
    Challenge.objects.filter(pk=challenge.pk).update(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    challenge.refresh_from_db()
    return challenge, owner


def _answer(client, challenge, **data):
    payload = {"approach": "Prognose mit Zeitreihen", "cost_estimate": "25000", "duration_weeks": "12", **data}
    return client.post(reverse("challenges:answer", args=[challenge.pk]), payload)


def test_a_verified_startup_answers_with_a_pdf_and_only_the_right_people_see_it(need):
    challenge, owner = need
    startup, member = _startup("Terminwerk GmbH")
    solution = Solution.objects.create(profile=startup, name="Terminwerk Prognose", description="D")
    client = _client(member)
    pdf = SimpleUploadedFile("Konzept.pdf", PDF, content_type="application/pdf")
    response = _answer(client, challenge, solution=solution.pk, attachment=pdf)
    assert response.status_code == 302, response.content.decode()[:3000]
    answer = Answer.objects.get()
    assert answer.solution == solution and answer.startup == startup
    attachment = AnswerAttachment.objects.get()
    assert attachment.original_name == "Konzept.pdf"
    assert not attachment.file.name.endswith("Konzept.pdf")  # stored under a random name
    assert AuditEntry.objects.filter(action="answer.create").exists()

    # The authority and the unit see the answer and can download the file.
    for viewer in (owner, make_person(Role.COORDINATOR)):
        viewer_client = _client(viewer)
        assert (
            "Terminwerk GmbH" in viewer_client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
        )
        download = viewer_client.get(reverse("challenges:attachment", args=[attachment.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert "attachment" in download["Content-Disposition"]
    # Another startup, another authority, the public: nothing.
    _other, competitor = _startup("Konkurrenz GmbH")
    for outsider in (competitor, make_person(Role.NEED_OWNER)):
        outsider_client = _client(outsider)
        assert (
            "Terminwerk GmbH"
            not in outsider_client.get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
        )
        assert outsider_client.get(reverse("challenges:attachment", args=[attachment.pk])).status_code == 403
    assert Client().get(reverse("challenges:attachment", args=[attachment.pk])).status_code == 302
    assert "Terminwerk GmbH" not in Client().get(reverse("challenges:detail", args=[challenge.pk])).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("bild.png", b"\x89PNG\r\n\x1a\n", "image/png", "Nur PDF-Dateien"),
        ("falsch.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "Nur PDF-Dateien"),
        ("gross.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf", "größer als 10 MB"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(need, name, content, content_type, message):
    challenge, _owner = need
    _startup_profile, member = _startup("Terminwerk GmbH")
    response = _answer(
        _client(member), challenge, attachment=SimpleUploadedFile(name, content, content_type=content_type)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Answer.objects.exists() and not AnswerAttachment.objects.exists()


def test_unverified_startups_and_late_answers_are_refused(need):
    challenge, _owner = need
    _profile, unverified = _startup("Neu GmbH", verification=Verification.UNVERIFIED)
    assert _answer(_client(unverified), challenge).status_code == 403
    # It is told why, instead of seeing a deadline and no way to answer (issue 17, D26).
    page = _client(unverified).get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    assert "sobald Ihr Startup geprüft ist" in page
    _profile, member = _startup("Terminwerk GmbH")
    assert (
        "sobald Ihr Startup geprüft ist"
        not in _client(member).get(reverse("challenges:detail", args=[challenge.pk])).content.decode()
    )
    client = _client(member)
    assert _answer(client, challenge).status_code == 302
    Challenge.objects.filter(pk=challenge.pk).update(answer_deadline=timezone.localdate() - datetime.timedelta(days=1))
    answer = Answer.objects.get()
    response = client.post(
        reverse("challenges:answer", args=[challenge.pk]), {"approach": "Neu", "version": answer.version}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.approach == "Prognose mit Zeitreihen"
    assert "nicht mehr geändert" in client.get(reverse("challenges:answer", args=[challenge.pk])).content.decode()


def test_edit_and_withdraw_before_the_deadline(need):
    challenge, _owner = need
    _profile, member = _startup("Terminwerk GmbH")
    client = _client(member)
    _answer(client, challenge)
    answer = Answer.objects.get()
    assert _answer(client, challenge, approach="Besser", version=answer.version).status_code == 302
    answer.refresh_from_db()
    assert answer.approach == "Besser" and answer.version == 2
    stale = _answer(client, challenge, approach="Alt", version=1)
    assert "in der Zwischenzeit" in stale.content.decode()
    client.post(reverse("challenges:answer_withdraw", args=[challenge.pk]))
    answer.refresh_from_db()
    assert answer.status == "withdrawn"


def test_only_own_solutions_can_be_named(need):
    challenge, _owner = need
    _profile, member = _startup("Terminwerk GmbH")
    foreign, _m = _startup("Fremd GmbH")
    foreign_solution = Solution.objects.create(profile=foreign, name="Fremd", description="D")
    response = _answer(_client(member), challenge, solution=foreign_solution.pk)
    assert response.status_code == 422
    assert not Answer.objects.exists()
