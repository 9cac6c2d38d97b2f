"""gunicorn settings of ``lotsenhaus serve`` (and of the load benchmark).

Everything a worker would otherwise do on its first requests is done once in the master, *before* the
listening socket exists (``on_starting``), and shared by the forked workers (copy-on-write):

- the search index is loaded (about 15 s for 200,000 documents);
- one request per kind of page runs through the whole stack, so that lazily imported modules (allauth's MFA
  flows, the API's schema models), the URL resolver and the compiled templates are in memory;
- ``gc.freeze()`` moves all of it out of the garbage collector's reach, so that no worker walks (and so
  copies) the shared heap in a collection.

The query encoder runs native threads that do not survive a fork (a worker that inherits them hangs in its
first search), so each worker encodes one query in ``post_fork``, before it accepts a request.

Before this, the socket accepted connections while the master was still loading the index and the workers
then imported and compiled on their first requests: under load every request of the first seconds after a
start waited 8–11 s (docs/trust.md, "Load").
"""

import gc
import io
import os
import sys
import time
from collections.abc import Callable
from typing import Any

preload_app = True
graceful_timeout = 10

# Anonymous pages whose first rendering imports and compiles what most requests need.
# Not the search: the query encoder's threads would not survive the fork (each worker warms it in post_fork).
WARM_UP_PATHS = ("/", "/bedarfe/", "/startups/", "/ki-register/", "/accounts/login/", "/api/v1/needs",
                 "/api/v1/openapi.json", "/healthz")  # fmt: skip


class _Status:
    """The ``start_response`` of a warm-up request: keeps the status line."""

    status = ""

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        self.status = status
        return lambda _data: None


def _warm_up(server: Any) -> int:
    """Run the warm-up requests through the WSGI application of this process; returns how many answered."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost"
    handler = WSGIHandler()
    answered = 0
    for path in WARM_UP_PATHS:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": host,
            "SERVER_PORT": "443",
            "HTTP_HOST": host,
            "HTTP_X_FORWARDED_PROTO": "https",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        start_response = _Status()
        try:
            body = handler(environ, start_response)
            for _chunk in body:
                pass
            if hasattr(body, "close"):
                body.close()
        except Exception as exc:  # a warm-up must never keep the server from starting
            server.log.warning("Warm-up of %s failed: %s", path, exc)
            continue
        answered += start_response.status[:1] in ("2", "3")
    return answered


def on_starting(server: Any) -> None:
    started = time.perf_counter()
    if os.environ.get("LOTSENHAUS_SEARCH_PRELOAD", "1") != "0":
        from lotsenhaus.matching.index import live_index

        size = len(live_index().engine)
        server.log.info("Search index loaded: %d documents in %.1f s", size, time.perf_counter() - started)
        from lotsenhaus.matching import translation

        # Compiled once per installed dictionary (a few seconds), so that no first search of a worker waits for it.
        server.log.info("German–English dictionary: %s", "ready" if translation.available() else "not installed")
    if os.environ.get("LOTSENHAUS_WARM_UP", "1") != "0":
        answered = _warm_up(server)
        server.log.info("Warmed up: %d of %d pages answered", answered, len(WARM_UP_PATHS))
    from django.db import connections

    connections.close_all()  # every worker opens its own connections after the fork
    gc.collect()
    gc.freeze()
    server.log.info("Ready to fork after %.1f s", time.perf_counter() - started)


def post_fork(server: Any, worker: Any) -> None:
    if os.environ.get("LOTSENHAUS_WARM_UP", "1") == "0":
        return
    try:
        from lotsenhaus.matching.encoders import default_encoder

        default_encoder().queries(["Warm-up"])
    except Exception as exc:  # the search then loads its model on its first query, as before
        server.log.warning("Warm-up of the query encoder failed: %s", exc)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits leaves its metric files; its live gauges must no longer count (core/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
