"""Absolute addresses of the site, built from ``LOTSENHAUS_BASE_URL`` when a page or file is rendered, never from
the request's Host header or from the moment something was published (issue 18)."""

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    return settings.LOTSENHAUS_BASE_URL + path


def site_domain() -> str:
    return urlsplit(settings.LOTSENHAUS_BASE_URL).hostname or "localhost"


def tag_uri(specific: str, since: date = date(2026, 1, 1)) -> str:
    """A stable ``tag:`` URI (RFC 4151) for feed and entry ids: the same whatever host or scheme served it."""
    return f"tag:{site_domain()},{since.isoformat()}:{specific}"


def relinked(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A stored record whose links point at the site as it is configured now, whatever host was current when
    the record was stored (a record published from ``http://127.0.0.1:8000`` keeps only its path)."""
    copy = dict(data)
    for key in keys:
        if isinstance(copy.get(key), str) and copy[key]:
            parts = urlsplit(copy[key])
            copy[key] = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
    return copy
