"""Production: nothing is guessed. Secrets and hosts must come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["LOTSENHAUS_REQUIRE_SECRET_KEY"] = "1"
os.environ.setdefault("LOTSENHAUS_LOG_FORMAT", "json")  # for the log collector; "text" if you read them yourself

from .base import *  # noqa: F403
from .base import ALLAUTH_TRUSTED_CLIENT_IP_HEADER, ALLAUTH_TRUSTED_PROXY_COUNT
from .env import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")

DEBUG = False
LOTSENHAUS_PRODUCTION = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Backends that only print, keep or drop the mail would silently lose every invitation and sign-in code.
if EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "dummy", "filebased"}:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND {EMAIL_BACKEND} delivers no mail; production needs SMTP (the default) or a real backend."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the nodes over plain HTTP; a redirect to https would read as "down" (found by the package
# smoke test, scripts/package_smoke.py).
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$"]
if env_bool("LOTSENHAUS_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the documented reverse proxy every request comes from the proxy's address: take the client's
    # from the one X-Forwarded-For entry the proxy appends, unless configured otherwise.
    if not ALLAUTH_TRUSTED_PROXY_COUNT and not ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
        ALLAUTH_TRUSTED_PROXY_COUNT = 1
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
