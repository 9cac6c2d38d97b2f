"""Faults: a task worker killed mid-task, the database connection lost mid-request, two people editing at
once, and a full disk during an upload. Each must end without anything lost, doubled or half-written."""

import errno
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from lotsenhaus.core.roles import Role
from lotsenhaus.needs.models import Answer, AnswerAttachment, Need
from tests.factories import make_person
from tests.pipeline import build_world

ROOT = Path(__file__).resolve().parent.parent
LOTSENHAUS = [sys.executable, "-m", "lotsenhaus"]


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive mails; the first connection hangs to hold a worker mid-task."""

    def handle(self) -> None:
        server = self.server
        server.connections += 1  # type: ignore[attr-defined]
        if server.connections == 1:  # type: ignore[attr-defined]
            server.hung.set()  # type: ignore[attr-defined]
            server.release.wait(60)  # type: ignore[attr-defined]
            return
        self.wfile.write(b"220 test\r\n")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                server.delivered += 1  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif command in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


def _shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [*LOTSENHAUS, "shell", "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_a_worker_killed_mid_task_leaves_the_task_to_the_next_worker_which_does_it_once(tmp_path):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.daemon_threads = True
    server.connections, server.delivered = 0, 0  # type: ignore[attr-defined]
    server.hung, server.release = threading.Event(), threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY"))}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LOTSENHAUS_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.server_address[1]),
        "LOTSENHAUS_TASK_STALE_SECONDS": "1",
    }
    try:
        subprocess.run([*LOTSENHAUS, "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=180)
        _shell(
            env,
            "from django.db import transaction\n"
            "from lotsenhaus.accounts.models import User\n"
            "from lotsenhaus.notifications.services import notifications_send\n"
            "from lotsenhaus.startups.models import StartupProfile, Solution\n"
            "from lotsenhaus.organisations.models import Organisation\n"
            "with transaction.atomic():\n"
            "    person = User.objects.create_user(email='amt@example.org')\n"
            "    notifications_send(recipients=[person], topic='need_status', title='Neuer Stand', key='k1')\n"
            "    org = Organisation.objects.create(name='Aktenblick GmbH', kind='startup', slug='aktenblick')\n"
            "    profile = StartupProfile.objects.create(organisation=org, verification='verified')\n"
            "    Solution.objects.create(profile=profile, name='Aktenblick', description='Texterkennung')\n",
        )
        worker = subprocess.Popen([*LOTSENHAUS, "worker", "--interval", "0.1"], env=env, cwd=ROOT)
        assert server.hung.wait(120), "the worker never reached the mail server"  # type: ignore[attr-defined]
        worker.send_signal(signal.SIGKILL)  # killed while sending: the task stays RUNNING
        worker.wait(10)
        server.release.set()  # type: ignore[attr-defined]
        running = _shell(
            env, "from django_tasks_db.models import DBTaskResult\nprint(DBTaskResult.objects.running().count())"
        )
        assert running == "1"
        assert server.delivered == 0  # type: ignore[attr-defined]

        time.sleep(1.5)  # older than LOTSENHAUS_TASK_STALE_SECONDS
        for _ in range(2):  # the restarted worker, then another one and the resend sweep: still one mail
            subprocess.run([*LOTSENHAUS, "worker", "--batch"], env=env, cwd=ROOT, check=True, timeout=300)
            subprocess.run([*LOTSENHAUS, "send-notifications"], env=env, cwd=ROOT, check=True, timeout=120)
        assert server.delivered == 1  # type: ignore[attr-defined]
        state = _shell(
            env,
            "from django_tasks_db.models import DBTaskResult\n"
            "from lotsenhaus.notifications.models import Notification\n"
            "from lotsenhaus.matching.selectors import pending_embeddings\n"
            "print(DBTaskResult.objects.running().count(), DBTaskResult.objects.failed().count(),"
            " Notification.objects.filter(emailed_at__isnull=True).count(), pending_embeddings().count())",
        )
        assert state == "0 0 0 0"  # nothing running or failed, the mail marked sent, every embedding there
    finally:
        server.release.set()  # type: ignore[attr-defined]
        server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_gives_a_clean_error_page_and_writes_nothing():
    person = make_person(Role.NEED_OWNER)
    browser = Client(raise_request_exception=False)
    browser.force_login(person)
    form = {"organisation": person.memberships.get().organisation_id, "title": "Straßenlaternen melden"}

    def drop_connection(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "needs_need" in sql:
            connection.close()  # the server went away between two statements of the request
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_connection):
        response = browser.post(reverse("needs:create"), form)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Es ist ein Fehler aufgetreten" in page or "Fehler" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert not Need.objects.filter(title="Straßenlaternen melden").exists()
    assert not Need.objects.exists()  # nothing half-written, and the next request works again
    assert browser.get(reverse("needs:workspace")).status_code == 200


@pytest.mark.django_db
def test_two_people_editing_at_once_lose_nothing():
    world = build_world()
    need = world.need
    first, second = Client(), Client()
    first.force_login(world.coordinator)
    second.force_login(world.coordinator)
    url = f"/api/v1/needs/{need.pk}"
    version = need.version
    ok = first.patch(
        url, {"version": version, "title": "Anträge vorprüfen (Fassung A)"}, content_type="application/json"
    )
    late = second.patch(
        url, {"version": version, "title": "Anträge vorprüfen (Fassung B)"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert late.status_code == 409 and late.json()["code"] == "conflict"
    need.refresh_from_db()
    assert need.title == "Anträge vorprüfen (Fassung A)"  # B was told, and A's change was not overwritten


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_is_refused_cleanly_and_saves_nothing(media_root, monkeypatch):
    world = build_world()
    member, solution = world.members[2], world.solutions[2]
    real_save = FileSystemStorage._save  # type: ignore[attr-defined]  # private, so not in django-stubs

    def half_written_then_full(self, name, content):
        real_save(self, name, SimpleUploadedFile(name, b"%PDF-1.4\n"))  # the first chunk made it to disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", half_written_then_full)
    browser = Client()
    browser.force_login(member)
    response = browser.post(
        reverse("needs:answer", args=[world.need.pk]),
        {
            "version": "",
            "solution": solution.pk,
            "approach": "Mit Anhang",
            "attachment": SimpleUploadedFile("angebot.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 422
    assert "Speicherplatz" in response.content.decode()
    assert not Answer.objects.filter(startup=world.startups[2]).exists()  # not even the answer without its file
    assert not AnswerAttachment.objects.exists()
    assert not any(Path(media_root).rglob("*.pdf"))
