from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from .exceptions import ApplicationError
from .visibility import answers_remembered


class ApplicationErrorMiddleware:
    """Turns an ``ApplicationError`` that no form handled into a clear page (or fragment for htmx)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        template = "core/partials/error_alert.html" if getattr(request, "htmx", False) else "core/error.html"
        return render(request, template, {"message": exception.message}, status=400)


def english_variant(accept_language: str) -> str:
    """English texts with the reader's number and date formats (issue 17, D16/D35): US formats only for a
    browser that asks for American English, British (day/month/year, 24 hours) for everyone else, e.g. an
    administration in Hamburg reading the English pages. The texts are the same English catalogue."""
    for tag in accept_language.replace(" ", "").lower().split(","):
        language = tag.split(";")[0]
        if language.startswith("en"):
            return "en" if language == "en-us" else "en-gb"
    return "en-gb"


class LanguageMiddleware:
    """German unless the person chose another language (cookie), whatever the browser asks for.

    Django's LocaleMiddleware follows Accept-Language; an administration platform is German first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        if code == "en":
            code = english_variant(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than ``LOTSENHAUS_MAX_REQUEST_BYTES`` before any of it is read.

    Each upload checks its own, smaller limit (attachments 10 MB, screenshots 2 MB, imports 5 MB); this one
    keeps a client from making the server read and store a body of any size first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.LOTSENHAUS_MAX_REQUEST_BYTES:
            megabytes = settings.LOTSENHAUS_MAX_REQUEST_BYTES // (1024 * 1024)
            message = _("The request is too large: at most %(mb)s MB can be sent at once.") % {"mb": megabytes}
            if request.path_info.startswith("/api/"):
                response: HttpResponse = JsonResponse({"detail": message, "code": "too_large"}, status=413)
            else:
                response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class PublicApiCorsMiddleware:
    """The read API may be used from other sites' pages (issue 18): ``Access-Control-Allow-Origin: *`` on GET and
    HEAD under ``/api/``. A wildcard never admits cookies, so a foreign page reads only what is public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and request.path_info.startswith("/api/"):
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response


class RememberRuleAnswersMiddleware:
    """A GET or HEAD request asks each object rule of the database once per person and object (core.visibility)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with answers_remembered():
            return self.get_response(request)
