"""HTTP behaviour of published files: feeds, calendars and open data (issue 18)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import conditional_page

OPEN_DATA_MAX_AGE = 300


def open_data(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public files that portals, feed readers and calendar apps poll: cacheable for five minutes by anyone,
    readable from other sites (CORS), with an ETag so that a repeated request with ``If-None-Match`` gets
    ``304 Not Modified`` and no body."""

    @wraps(view)
    def public(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={OPEN_DATA_MAX_AGE}"
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return conditional_page(public)
