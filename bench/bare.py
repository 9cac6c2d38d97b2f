"""A bare Django page for the load test's baseline: one view, no database, no middleware beyond Django's
security middleware, served by the same gunicorn as Lotsenhaus.

    gunicorn --chdir bench bare:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-not-secret",  # a throwaway app that holds no data
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware"],
)


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!DOCTYPE html><title>ok</title><p>ok</p>")


urlpatterns = [path("", page)]
application = get_wsgi_application()
