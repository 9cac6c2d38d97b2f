"""One view serves the full page and its htmx fragment (after NetBox ``utilities/htmx.py``)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that wants a fragment, not a boosted full-page navigation."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render ``partial`` alone for htmx fragment requests, else the full ``template`` (which includes it)."""
    name = partial if is_htmx_fragment(request) else template
    return render(request, name, context, status=status)
