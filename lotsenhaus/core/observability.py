"""What operators see of each request: one log line with a request id, the route, the status, the duration
and a pseudonymous user id, in JSON when ``LOTSENHAUS_LOG_FORMAT=json`` (the default in production), and the
request's latency in the Prometheus metrics (``core/metrics.py``). Issue 20.

The request id comes from the proxy's ``X-Request-ID`` when it looks like one (so that the proxy's log and ours
meet), else a new one; it is sent back in ``X-Request-ID`` and added to every log record written while the
request runs, whichever logger writes it.
"""

import contextvars
import hashlib
import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lotsenhaus.core.actors import Actor

from . import metrics

logger = logging.getLogger("lotsenhaus.request")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("lotsenhaus_request_id", default="")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The extra fields a record may carry into the JSON line, in this order.
FIELDS = ("request_id", "method", "route", "path", "status", "duration_ms", "user", "status_code")


def current_request_id() -> str:
    return _request_id.get()


def pseudonym(user: Actor | None) -> str:
    """A stable id per person and installation that names nobody: HMAC of the user's key with the secret key."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"user:{user.pk}".encode(), hashlib.sha256)
    return "u-" + digest.hexdigest()[:16]


def _route(request: HttpRequest) -> str:
    """The URL pattern, not the address: ``bedarfe/<int:pk>/``, so that metrics and logs group by page."""
    match = getattr(request, "resolver_match", None)
    if match is not None:  # the start page's pattern is the empty route: "/"
        return "/" + match.route
    if request.path.startswith(settings.STATIC_URL):
        return settings.STATIC_URL
    return "unmatched"


class RequestLogMiddleware:
    """First in the chain: times the whole request, including the other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = _route(request)
            response["X-Request-ID"] = request_id
            metrics.observe_request(request.method or "", route, response.status_code, seconds)
            logger.info(
                "%s %s %s %.0f ms",
                request.method,
                route,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "route": route,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user": pseudonym(getattr(request, "user", None)),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds the running request's id to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
