"""What operators see (issue 20): one log line per request with id, route, status, duration and a pseudonym; JSON
logs in production; refusals without traceback; Prometheus metrics behind a token or network rule; readiness
that touches the file store; errors to a Sentry-compatible server of one's own."""

import gzip
import json
import logging
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core import mail
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from lotsenhaus import __version__
from lotsenhaus.core import health
from lotsenhaus.core.mail import send_to_one
from lotsenhaus.core.observability import JsonFormatter, pseudonym
from lotsenhaus.core.roles import Role
from lotsenhaus.matching.tasks import embed_pending
from tests.factories import make_person
from tests.test_web_security import production_env

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "metrics-token-for-the-test-0123456789"


def _request_lines(caplog) -> list[Any]:
    """The request log lines; their fields come in as extra attributes of the log record."""
    return [r for r in caplog.records if r.name == "lotsenhaus.request"]


def test_every_request_writes_one_line_with_id_route_status_duration_and_a_pseudonym(caplog):
    person = make_person(Role.NEED_OWNER)
    browser = Client()
    browser.force_login(person)
    caplog.set_level(logging.INFO, logger="lotsenhaus.request")
    response = browser.get("/bedarfe/")
    (line,) = _request_lines(caplog)
    assert line.route == "/bedarfe/" and line.status == 200 and line.method == "GET"
    assert line.duration_ms > 0
    assert line.request_id == response["X-Request-ID"] and len(line.request_id) == 32
    # The same person always gets the same pseudonym, another person another; neither key nor address shows.
    assert line.user == pseudonym(person) != pseudonym(make_person(Role.NEED_OWNER))
    assert re.fullmatch(r"u-[0-9a-f]{16}", line.user) and person.email not in line.user
    record = json.loads(JsonFormatter().format(line))
    assert {record[k] for k in ("route", "status", "request_id", "user")} == {
        "/bedarfe/",
        200,
        line.request_id,
        line.user,
    }

    # The route is the URL pattern, so an id in the address does not make a new series; the proxy's id is kept.
    caplog.clear()
    answered = Client().get("/bedarfe/999999/", HTTP_X_REQUEST_ID="proxy-abc-12345")
    (line,) = _request_lines(caplog)
    assert answered.status_code == 404 and line.route == "/bedarfe/<int:pk>/" and line.status == 404
    assert line.request_id == answered["X-Request-ID"] == "proxy-abc-12345" and not line.user
    caplog.clear()
    forged = Client().get("/", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>" and len(forged["X-Request-ID"]) == 32
    assert _request_lines(caplog)[0].route == "/"  # the start page (found by the package smoke test)


def test_a_refusal_is_one_line_without_traceback(caplog):
    caplog.set_level(logging.INFO)
    browser = Client()
    browser.force_login(make_person(Role.STARTUP_MEMBER))
    assert browser.get("/verwaltung/audit/").status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.exc_info is None and r.levelno == logging.WARNING for r in refusals)


def test_production_writes_json_lines_with_the_request_id(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client;"
        "r = Client().get('/impressum/', HTTP_X_FORWARDED_PROTO='https', HTTP_X_REQUEST_ID='req-0000-1111');"
        "print(r.status_code)"
    )
    env = production_env(tmp_path, LOTSENHAUS_BEHIND_PROXY="1")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180)
    assert out.stdout.strip() == "200", out.stderr
    lines = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    assert lines and len(lines) == len([line for line in out.stderr.splitlines() if line.strip()])
    (request,) = [line for line in lines if line["logger"] == "lotsenhaus.request"]
    assert request["request_id"] == "req-0000-1111" and request["route"] == "/impressum/"
    assert request["status"] == 200 and request["level"] == "INFO" and request["time"].endswith("+00:00")


def test_metrics_are_hidden_until_a_token_or_network_is_configured(client):
    assert client.get("/metrics").status_code == 404
    with override_settings(LOTSENHAUS_METRICS_TOKEN=TOKEN):
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    with override_settings(LOTSENHAUS_METRICS_NETWORKS=["127.0.0.0/8"]):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
        # Relayed by the proxy (which sits on 127.0.0.1): the network rule does not apply.
        relayed = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert relayed.status_code == 404


def _metrics(client) -> dict[str, float]:
    with override_settings(LOTSENHAUS_METRICS_TOKEN=TOKEN):
        text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    # The scrape must be valid exposition format: prometheus_client's own parser reads every family.
    families = {family.name for family in text_string_to_metric_families(text)}
    assert {"lotsenhaus_http_request_duration_seconds", "lotsenhaus_tasks_depth"} <= families
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def test_metrics_count_requests_tasks_embeddings_and_emails(client, settings):
    before = _metrics(client)
    key = 'lotsenhaus_http_request_duration_seconds_count{method="GET",route="/bedarfe/",status="200"}'
    for _ in range(3):
        assert client.get("/bedarfe/").status_code == 200
    after = _metrics(client)
    assert after[key] - before.get(key, 0) == 3
    fast = 'lotsenhaus_http_request_duration_seconds_bucket{le="10.0",method="GET",route="/bedarfe/",status="200"}'
    assert after[fast] - before.get(fast, 0) == 3

    assert before['lotsenhaus_tasks_depth{queue="default"}'] == 0  # an empty queue still reports its 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as deployed: a queue
    embed_pending.enqueue()
    after = _metrics(client)
    assert after['lotsenhaus_tasks_depth{queue="default"}'] >= 1
    assert after['lotsenhaus_task_queue_age_seconds{queue="default"}'] >= 0
    assert "lotsenhaus_embeddings_pending" in after and "lotsenhaus_search_index_lag_seconds" in after
    assert after["lotsenhaus_emails_waiting"] >= 0

    sent = 'lotsenhaus_emails_sent_total{kind="direct"}'
    failed = 'lotsenhaus_emails_failed_total{kind="direct"}'
    send_to_one(to="kontakt@startup.example", subject="Hallo", body="Test")
    assert len(mail.outbox) == 1 and _metrics(client)[sent] - after.get(sent, 0) == 1
    # A mail server that is not there: nothing listens on port 9 of this machine.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        send_to_one(to="kontakt@startup.example", subject="Hallo", body="Test")
    assert _metrics(client)[failed] - after.get(failed, 0) == 1


def test_readiness_reports_the_file_store(client, settings, tmp_path):
    health.reset_cache()
    assert client.get("/healthz").json()["storage"] == "ok"
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "lotsenhaus.core.storage.LocalStorage",
                                                          "OPTIONS": {"location": str(blocked)}}}  # fmt: skip
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "unreachable"


class _Envelopes(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        _Envelopes.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_errors_reach_a_sentry_compatible_server_without_personal_data(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_port}/1"
    script = (
        "import django, logging; django.setup(); import sentry_sdk;"
        "logging.getLogger('lotsenhaus.tasks').error('Import failed for person@example.org');"
        "sentry_sdk.flush(timeout=10)"
    )
    env = production_env(tmp_path, SENTRY_DSN=dsn)
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, timeout=120)
    server.shutdown()
    events = [json.loads(line) for body in _Envelopes.received for line in body.splitlines() if b'"event_id"' in line]
    assert any(e.get("release") == f"lotsenhaus@{__version__}" for e in events)
    assert all("user" not in e or not e["user"].get("email") for e in events)
