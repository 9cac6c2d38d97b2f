"""Uploads, generated documents and backups on an S3-compatible object store (issue 20), tested against a real
SeaweedFS server: files land in the bucket and not on the web node's disk, downloads still pass the permission
checks (streamed through the application), readiness sees the store, and backup/restore covers it."""

import datetime
import io
import tarfile

import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lotsenhaus.core import health
from lotsenhaus.core.roles import Role
from lotsenhaus.core.storage import ObjectStorage
from lotsenhaus.needs.models import AnswerAttachment, Need, Status
from lotsenhaus.needs.services import need_create
from lotsenhaus.needs.tests.test_answers import _answer, _client, _startup
from lotsenhaus.organisations.models import OrganisationKind
from lotsenhaus.startups.models import Solution
from tests.factories import OrganisationFactory, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b"%" * 5000


@pytest.fixture
def bucket(object_store, settings, tmp_path):
    name = object_store.new_bucket()
    settings.STORAGES = object_store.storages(name)
    settings.MEDIA_ROOT = tmp_path / "media-must-stay-empty"
    return name


def test_an_answer_attachment_goes_to_the_store_and_comes_back_only_to_those_allowed(object_store, bucket, settings):
    assert isinstance(storages["default"], ObjectStorage)
    authority = OrganisationFactory.create(name="Bezirksamt Altona", kind=OrganisationKind.BEZIRKSAMT)
    owner = make_person(Role.NEED_OWNER, organisation=authority)
    need = need_create(actor=owner, organisation=authority, title="Wartezeiten vorhersagen")
    Need.objects.filter(pk=need.pk).update(
        status=Status.PUBLISHED,
        published_at=timezone.now(),
        answer_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    startup, member = _startup("Terminwerk GmbH")
    solution = Solution.objects.create(profile=startup, name="Terminwerk Prognose", description="D")
    pdf = SimpleUploadedFile("Konzept.pdf", PDF, content_type="application/pdf")
    assert _answer(_client(member), need, solution=solution.pk, attachment=pdf).status_code == 302
    attachment = AnswerAttachment.objects.get()
    assert object_store.keys(bucket) == [f"media/{attachment.file.name}"]
    assert not settings.MEDIA_ROOT.exists()  # nothing on this node's disk

    download = _client(owner).get(reverse("needs:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download.getvalue() == PDF
    assert object_store.endpoint not in str(download.headers)  # streamed by the application, no link to the store
    _other, competitor = _startup("Konkurrenz GmbH")
    assert _client(competitor).get(reverse("needs:attachment", args=[attachment.pk])).status_code == 403
    assert Client().get(reverse("needs:attachment", args=[attachment.pk])).status_code == 302
    # The store itself refuses anyone without the key (objects are private).
    with pytest.raises(ClientError):
        object_store.client("someone", "guessing-a-secret").get_object(
            Bucket=bucket, Key=f"media/{attachment.file.name}"
        )


def test_readiness_reports_an_unreachable_store(object_store, bucket, client):
    health.reset_cache()
    assert client.get("/healthz").json()["storage"] == "ok"
    with override_settings(STORAGES=object_store.storages("no-such-bucket-here")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "unreachable"


def test_backups_go_to_the_store_and_restore_from_it(object_store, bucket, capsys):
    default_storage.save("documents/2026/bericht.pdf", io.BytesIO(b"%PDF-1.4 Bericht"))
    make_person(Role.COORDINATOR)
    call_command("backup")
    (key,) = [k for k in object_store.keys(bucket) if k.startswith("backups/")]
    assert "Objektspeicher" in capsys.readouterr().out
    with storages["backups"].open(key.removeprefix("backups/"), "rb") as handle:
        content = handle.read()
    with tarfile.open(fileobj=io.BytesIO(content)) as archive:
        member = archive.extractfile("media/documents/2026/bericht.pdf")
        assert member is not None and member.read() == b"%PDF-1.4 Bericht"
