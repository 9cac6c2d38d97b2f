"""``lotsenhaus serve`` opens its socket only when its workers can answer at once.

Under load, every request of the first seconds after a start used to wait 8–11 s: gunicorn accepted
connections while the master was still loading the search index, and each worker then imported modules and
compiled templates on its first requests (docs/trust.md, "Load"). Now the index, one request per kind of page
and ``gc.freeze()`` happen before the socket exists, and each worker warms its query encoder before it accepts.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(connection: socket.socket) -> tuple[bytes, float]:
    started = time.monotonic()
    connection.sendall(b"GET /bedarfe/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    connection.close()
    return answer, time.monotonic() - started


def test_the_server_listens_only_after_the_index_and_the_warm_up_and_answers_at_once(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "LOTSENHAUS_"))},
        "DJANGO_SETTINGS_MODULE": "lotsenhaus.settings.base",
        "LOTSENHAUS_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["migrate", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "-m", "lotsenhaus", *command], cwd=ROOT, env=env, check=True, timeout=300)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lotsenhaus", "serve", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=0.2)
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the server did not start: " + log.read_text())
        # The first request on the fresh socket is answered like any other, not after a cold start. (The
        # connect timeout must not limit the read: under a loaded CI machine that made the test flaky.)
        connection.settimeout(10)
        answer, elapsed = _get(connection)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        # A cold start (index, templates, encoder) takes several seconds; the first request must not. On a CI
        # machine whose two cores run other tests meanwhile, any request may take a second: the first one then
        # must not take much longer than the next (a flat 1 s limit failed there once at 1.17 s).
        _again, next_elapsed = _get(socket.create_connection(("127.0.0.1", port), timeout=10))
        assert elapsed < max(1.0, 3 * next_elapsed), f"first request {elapsed:.2f} s, the next {next_elapsed:.2f} s"
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    # Index, warm-up (every warm-up page answered) and freeze come before the socket exists.
    assert text.index("Search index loaded") < text.index("Listening at"), text
    assert "Warmed up: 8 of 8 pages answered" in text, text
    assert text.index("Ready to fork") < text.index("Listening at"), text
    assert "Warm-up of the query encoder failed" not in text, text
