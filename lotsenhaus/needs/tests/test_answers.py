import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.core.models import AuditEntry
from lotsenhaus.core.roles import Role
from lotsenhaus.needs import services
from lotsenhaus.needs.models import Answer, AnswerAttachment, Need, Status
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
        Role.STARTUP_MEMBER, organisation=OrganisationFactory.create(name=name, kind=OrganisationKind.STARTUP)
    )
    profile = StartupProfile.objects.create(
        organisation=member.memberships.get().organisation, verification=verification
    )
    return profile, member


@pytest.fixture
def open_need():
    authority = OrganisationFactory.create(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    need = services.need_create(actor=owner, organisation=authority, title="Wartezeiten vorhersagen")
    Need.objects.filter(pk=need.pk).update(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    need.refresh_from_db()
    return need, owner


def _answer(client, need, **data):
    payload = {"approach": "Prognose mit Zeitreihen", "cost_estimate": "25000", "duration_weeks": "12", **data}
    return client.post(reverse("needs:answer", args=[need.pk]), payload)


def test_a_verified_startup_answers_with_a_pdf_and_only_the_right_people_see_it(open_need):
    need, owner = open_need
    startup, member = _startup("Terminwerk GmbH")
    solution = Solution.objects.create(profile=startup, name="Terminwerk Prognose", description="D")
    client = _client(member)
    pdf = SimpleUploadedFile("Konzept.pdf", PDF, content_type="application/pdf")
    response = _answer(client, need, solution=solution.pk, attachment=pdf)
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
        assert "Terminwerk GmbH" in viewer_client.get(reverse("needs:detail", args=[need.pk])).content.decode()
        download = viewer_client.get(reverse("needs:attachment", args=[attachment.pk]))
        assert download.status_code == 200
        assert download.getvalue().startswith(b"%PDF-")
        assert "attachment" in download["Content-Disposition"]
    # Another startup, another authority, the public: nothing.
    _other, competitor = _startup("Konkurrenz GmbH")
    for outsider in (competitor, make_person(Role.NEED_OWNER)):
        outsider_client = _client(outsider)
        assert "Terminwerk GmbH" not in outsider_client.get(reverse("needs:detail", args=[need.pk])).content.decode()
        assert outsider_client.get(reverse("needs:attachment", args=[attachment.pk])).status_code == 403
    assert Client().get(reverse("needs:attachment", args=[attachment.pk])).status_code == 302
    assert "Terminwerk GmbH" not in Client().get(reverse("needs:detail", args=[need.pk])).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("bild.png", b"\x89PNG\r\n\x1a\n", "image/png", "Nur PDF-Dateien"),
        ("falsch.pdf", b"MZ\x90\x00 not a pdf", "application/pdf", "Nur PDF-Dateien"),
        ("gross.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf", "größer als 10 MB"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(open_need, name, content, content_type, message):
    need, _owner = open_need
    _startup_profile, member = _startup("Terminwerk GmbH")
    response = _answer(_client(member), need, attachment=SimpleUploadedFile(name, content, content_type=content_type))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Answer.objects.exists() and not AnswerAttachment.objects.exists()


def test_unverified_startups_and_late_answers_are_refused(open_need):
    need, _owner = open_need
    _profile, unverified = _startup("Neu GmbH", verification=Verification.UNVERIFIED)
    assert _answer(_client(unverified), need).status_code == 403
    # It is told why, instead of seeing a deadline and no way to answer (issue 17, D26).
    page = _client(unverified).get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "sobald Ihr Startup geprüft ist" in page
    _profile, member = _startup("Terminwerk GmbH")
    assert (
        "sobald Ihr Startup geprüft ist"
        not in _client(member).get(reverse("needs:detail", args=[need.pk])).content.decode()
    )
    client = _client(member)
    assert _answer(client, need).status_code == 302
    Need.objects.filter(pk=need.pk).update(answer_deadline=timezone.localdate() - datetime.timedelta(days=1))
    answer = Answer.objects.get()
    response = client.post(reverse("needs:answer", args=[need.pk]), {"approach": "Neu", "version": answer.version})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.approach == "Prognose mit Zeitreihen"
    assert "nicht mehr geändert" in client.get(reverse("needs:answer", args=[need.pk])).content.decode()


def test_edit_and_withdraw_before_the_deadline(open_need):
    need, _owner = open_need
    _profile, member = _startup("Terminwerk GmbH")
    client = _client(member)
    _answer(client, need)
    answer = Answer.objects.get()
    assert _answer(client, need, approach="Besser", version=answer.version).status_code == 302
    answer.refresh_from_db()
    assert answer.approach == "Besser" and answer.version == 2
    stale = _answer(client, need, approach="Alt", version=1)
    assert "in der Zwischenzeit" in stale.content.decode()
    client.post(reverse("needs:answer_withdraw", args=[need.pk]))
    answer.refresh_from_db()
    assert answer.status == "withdrawn"


def test_only_own_solutions_can_be_named(open_need):
    need, _owner = open_need
    _profile, member = _startup("Terminwerk GmbH")
    foreign, _m = _startup("Fremd GmbH")
    foreign_solution = Solution.objects.create(profile=foreign, name="Fremd", description="D")
    response = _answer(_client(member), need, solution=foreign_solution.pk)
    assert response.status_code == 422
    assert not Answer.objects.exists()
