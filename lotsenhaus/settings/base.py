"""Settings shared by every deployment; the embedded trial (SQLite, one machine) runs on these alone."""

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import embedded_secret_key, env_bool, env_int, env_list, env_map, env_str, object_storages

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
# A checkout keeps var/ and staticfiles/ beside the code; an installed package (site-packages) in the directory
# it is started from, unless LOTSENHAUS_VAR_DIR and LOTSENHAUS_STATIC_ROOT say otherwise (docs/operations.md).
IN_CHECKOUT = (BASE_DIR / "pyproject.toml").is_file()
WORK_DIR = BASE_DIR if IN_CHECKOUT else Path.cwd()
VAR_DIR = Path(env_str("LOTSENHAUS_VAR_DIR", str(WORK_DIR / "var")))
NODE_MODULES = Path(env_str("LOTSENHAUS_NODE_MODULES", str(BASE_DIR / "node_modules")))
# npm installs KERN UX and htmx into node_modules in a checkout; the release package carries copies under
# lotsenhaus/vendor/ (scripts/vendor_assets.py, run by `make dist`).
VENDOR_DIR = PACKAGE_DIR / "vendor"
KERN_DIR = NODE_MODULES / "@kern-ux" / "native" / "dist"
HTMX_DIR = NODE_MODULES / "htmx.org" / "dist"
if not KERN_DIR.is_dir():
    KERN_DIR, HTMX_DIR = VENDOR_DIR / "kern", VENDOR_DIR / "htmx"

# The embedded trial generates its key once under var/; production (see production.py) must be given one.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and not env_bool("LOTSENHAUS_REQUIRE_SECRET_KEY"):
    SECRET_KEY = embedded_secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
# True only under settings.production: the demo commands and the demo's published credentials are refused.
LOTSENHAUS_PRODUCTION = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

LOTSENHAUS_BASE_URL = env_str("LOTSENHAUS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [LOTSENHAUS_BASE_URL])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "lotsenhaus.core.apps.LotsenhausAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "ninja",
    "lotsenhaus.core",
    "lotsenhaus.accounts",
    "lotsenhaus.organisations",
    "lotsenhaus.needs",
    "lotsenhaus.startups",
    "lotsenhaus.airegister",
    "lotsenhaus.matching",
    "lotsenhaus.exploration",
    "lotsenhaus.evaluations",
    "lotsenhaus.procurement",
    "lotsenhaus.pilots",
    "lotsenhaus.notifications",
    "lotsenhaus.knowledge",
    "lotsenhaus.events",
    "lotsenhaus.advisory",
    "lotsenhaus.demo",
]

MIDDLEWARE = [
    "lotsenhaus.core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lotsenhaus.core.middleware.RequestSizeLimitMiddleware",
    "lotsenhaus.core.middleware.PublicApiCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lotsenhaus.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lotsenhaus.core.middleware.RememberRuleAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "lotsenhaus.accounts.middleware.EnforceMfaMiddleware",
    "lotsenhaus.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "lotsenhaus.urls"
WSGI_APPLICATION = "lotsenhaus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotsenhaus.core.context_processors.shell",
            ],
        },
    },
]
FORM_RENDERER = "lotsenhaus.core.forms.KernFormRenderer"

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lotsenhaus.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by all web workers (login throttling must hold across processes), so it lives in the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lotsenhaus_cache",
    }
}

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lotsenhaus.core.known_accounts.PublishedPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "lotsenhaus.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lotsenhaus.organisations.sso.SocialAccountAdapter"
LOTSENHAUS_ROLE_RESOLVER = "lotsenhaus.organisations.selectors.roles_for_user"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lotsenhaus.startups.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset do not tell whether an address has an account (who works in the unit is not
# public); the mail sent to the address says so instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lotsenhaus] "
# Failed sign-ins per account (the account is locked for the window and its owner told by e-mail) …
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOTSENHAUS_LOGIN_RATE", "5/5m/key"),
    # Sign-in requests of any outcome per address: generous, since a whole office may share one address.
    "login": env_str("LOTSENHAUS_LOGIN_REQUEST_RATE", "200/m/ip"),
    # Sign-ups and anonymous posts are limited per address (a sign-up also creates an organisation).
    "signup": env_str("LOTSENHAUS_SIGNUP_RATE", "10/h/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
# … and per client address: past it, failed attempts are refused, correct credentials still get through
# (accounts/adapters.py), so one client cannot lock out everyone behind the same address.
LOTSENHAUS_READER_MESSAGE_RATE = env_str("LOTSENHAUS_READER_MESSAGE_RATE", "5/h")  # per sender address
LOTSENHAUS_READER_MESSAGE_RECORD_RATE = env_str("LOTSENHAUS_READER_MESSAGE_RECORD_RATE", "30/d")  # per record
LOTSENHAUS_FEEDBACK_RATE = env_str("LOTSENHAUS_FEEDBACK_RATE", "10/h")  # barrier reports per sender address
LOTSENHAUS_LOGIN_IP_RATE = env_str("LOTSENHAUS_LOGIN_IP_RATE", "20/m")
# The client's address behind reverse proxies: the number of proxies that append to X-Forwarded-For, or the
# header one trusted proxy sets (e.g. X-Real-IP). Without either, REMOTE_ADDR is the client.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("LOTSENHAUS_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("LOTSENHAUS_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("LOTSENHAUS_MFA_ISSUER", "Lotsenhaus")
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# An SSO sign-in never takes over an existing account by its e-mail address unless the operator says the
# provider is authoritative for those addresses (docs/trust.md, design decisions).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = env_bool("LOTSENHAUS_OIDC_EMAIL_AUTHENTICATION", False)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = SOCIALACCOUNT_EMAIL_AUTHENTICATION
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False

# Single sign-on for administration staff through any OpenID Connect provider (e.g. Keycloak).
LOTSENHAUS_OIDC = {
    "server_url": env_str("LOTSENHAUS_OIDC_SERVER_URL"),
    "client_id": env_str("LOTSENHAUS_OIDC_CLIENT_ID"),
    "client_secret": env_str("LOTSENHAUS_OIDC_CLIENT_SECRET"),
    "provider_id": env_str("LOTSENHAUS_OIDC_PROVIDER_ID", "verwaltung"),
    "name": env_str("LOTSENHAUS_OIDC_NAME", "Verwaltungs-Login (SSO)"),
    "organisation_claim": env_str("LOTSENHAUS_OIDC_ORGANISATION_CLAIM", "organisation"),
    "roles_claim": env_str("LOTSENHAUS_OIDC_ROLES_CLAIM", "roles"),
    # Claim value -> membership role ("member" or "admin"), e.g. "lotsenhaus-admin=admin".
    "role_map": env_map("LOTSENHAUS_OIDC_ROLE_MAP"),
    # Only when the operator confirms that the provider enforces its own second factor do its sign-ins of
    # coordinators and admins need no TOTP here; off by default, since Lotsenhaus cannot check it.
    "mfa_by_provider": env_bool("LOTSENHAUS_OIDC_MFA_BY_PROVIDER", False),
}
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {"openid_connect": {"APPS": []}}
if LOTSENHAUS_OIDC["server_url"]:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": LOTSENHAUS_OIDC["provider_id"],
            "name": LOTSENHAUS_OIDC["name"],
            "client_id": LOTSENHAUS_OIDC["client_id"],
            "secret": LOTSENHAUS_OIDC["client_secret"],
            "settings": {
                "server_url": LOTSENHAUS_OIDC["server_url"],
                "oauth_pkce_enabled": True,
                "token_auth_method": "client_secret_post",
            },
        }
    )

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# First wins: formal German ("Sie") for django-allauth's texts, then our own catalogue.
LOCALE_PATHS = [PACKAGE_DIR / "locale_overrides", PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("LOTSENHAUS_STATIC_ROOT", str(WORK_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("kern", KERN_DIR), ("vendor/htmx", HTMX_DIR)]
# Uploads and generated documents ("default") and backups ("backups") stay on this machine's disk under var/,
# or, when LOTSENHAUS_S3_BUCKET is set, go to an S3-compatible object store (django-storages) under the prefixes
# media/ and backups/, so that any number of web nodes and workers share them. Either way files are served only
# through views that check permissions (streamed through the application), never from the web root or the store.
LOTSENHAUS_S3 = {
    "bucket_name": env_str("LOTSENHAUS_S3_BUCKET"),
    "endpoint_url": env_str("LOTSENHAUS_S3_ENDPOINT_URL") or None,
    "access_key": env_str("LOTSENHAUS_S3_ACCESS_KEY_ID"),
    "secret_key": env_str("LOTSENHAUS_S3_SECRET_ACCESS_KEY"),
    "region_name": env_str("LOTSENHAUS_S3_REGION", "us-east-1"),
}
if LOTSENHAUS_S3["bucket_name"]:
    STORAGES = object_storages(LOTSENHAUS_S3)
else:
    STORAGES = {
        "default": {"BACKEND": "lotsenhaus.core.storage.LocalStorage"},
        "backups": {"BACKEND": "lotsenhaus.core.storage.LocalStorage", "OPTIONS": {"location": VAR_DIR / "backups"}},
    }
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/_media/"

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a trial without a mail server; tests).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lotsenhaus <lotsenhaus@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task running longer than this is taken to have lost its worker and is queued again (every task is
# safe to run twice). Keep it above the longest task (a full reindex of a large directory).
LOTSENHAUS_TASK_STALE_SECONDS = env_int("LOTSENHAUS_TASK_STALE_SECONDS", 30 * 60)
# A startup list import pauses after each slice for this many times as long as the slice took (1.0: it
# works at most half of the time), so the database serves the pages in between. 0: no pause.
LOTSENHAUS_IMPORT_PAUSE_RATIO = float(env_str("LOTSENHAUS_IMPORT_PAUSE_RATIO", "1.0"))

# --- Security -------------------------------------------------------------------------------------
# Counts of lists of 10,000 rows or more are reused for this many seconds (0: always counted).
LOTSENHAUS_COUNT_CACHE_SECONDS = env_int("LOTSENHAUS_COUNT_CACHE_SECONDS", 60)
# Retention in days (0 keeps for ever), enforced by `lotsenhaus apply-retention` (daily cron line).
LOTSENHAUS_RETENTION_CONTACT_DAYS = env_int("LOTSENHAUS_RETENTION_CONTACT_DAYS", 730)
LOTSENHAUS_RETENTION_ANSWER_DAYS = env_int("LOTSENHAUS_RETENTION_ANSWER_DAYS", 1095)
# The largest request body accepted at all (the largest upload is 10 MB); larger ones are refused unread.
LOTSENHAUS_MAX_REQUEST_BYTES = env_int("LOTSENHAUS_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
# Every API token ends; this is the longest validity a person or an admin can choose.
LOTSENHAUS_API_TOKEN_MAX_DAYS = env_int("LOTSENHAUS_API_TOKEN_MAX_DAYS", 365)
# Self-registered startups not verified by the unit within this many days are removed (0 keeps them).
LOTSENHAUS_UNVERIFIED_STARTUP_DAYS = env_int("LOTSENHAUS_UNVERIFIED_STARTUP_DAYS", 30)
SESSION_COOKIE_AGE = env_int("LOTSENHAUS_SESSION_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *env_list("LOTSENHAUS_CSP_FORM_ACTION")],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Operator of this installation (Impressum, accessibility statement) ---------------------------
# The open-data portal's contributor id for this installation (DCAT-AP.de dcatde:contributorID).
LOTSENHAUS_DCAT_CONTRIBUTOR = env_str(
    "LOTSENHAUS_DCAT_CONTRIBUTOR", "http://dcat-ap.de/def/contributors/transparenzportalHamburg"
)
# The publisher's IRI in the DCAT record (e.g. its entry in an organisation register); empty: <base>/#betreiber.
LOTSENHAUS_DCAT_PUBLISHER = env_str("LOTSENHAUS_DCAT_PUBLISHER", "")
# The region the register's AI use cases affect, as the UK ATRS record set names it ("Region").
LOTSENHAUS_REGION = env_str("LOTSENHAUS_REGION", "Hamburg, Germany")
LOTSENHAUS_OPERATOR = {
    "name": env_str("LOTSENHAUS_OPERATOR_NAME", "Freie und Hansestadt Hamburg – Venture-Client-Einheit"),
    "address": env_str("LOTSENHAUS_OPERATOR_ADDRESS", "Rathausmarkt 1, 20095 Hamburg"),
    "email": env_str("LOTSENHAUS_OPERATOR_EMAIL", "lotsenhaus@example.org"),
    "phone": env_str("LOTSENHAUS_OPERATOR_PHONE", "+49 40 000000-0"),
}

# Logs go to standard error, one line per record: "text" for a person at a terminal, "json" for a log collector
# (the production default). Each request writes one line to lotsenhaus.request (core/observability.py).
LOTSENHAUS_LOG_FORMAT = env_str("LOTSENHAUS_LOG_FORMAT", "text")
if LOTSENHAUS_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOTSENHAUS_LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals_without_traceback": {"()": "lotsenhaus.core.logging.RefusalsWithoutTraceback"},
        "request_id": {"()": "lotsenhaus.core.observability.RequestIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "lotsenhaus.core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOTSENHAUS_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every page they lay out; only their warnings matter.
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"filters": ["refusals_without_traceback"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Operations: metrics and error reporting (docs/operations.md, "Observability") ---------------------
# /metrics answers only a scraper with this bearer token, or one from these networks that did not come
# through the proxy; with neither it answers 404.
LOTSENHAUS_METRICS_TOKEN = env_str("LOTSENHAUS_METRICS_TOKEN")
LOTSENHAUS_METRICS_NETWORKS = env_list("LOTSENHAUS_METRICS_NETWORKS", [])
# Errors (500s, failed tasks) go to a Sentry-compatible server of your own (Sentry, GlitchTip) when a DSN is set;
# no personal data is sent (no user, no address, no request body).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    from lotsenhaus import __version__

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        release=f"lotsenhaus@{__version__}",
        send_default_pii=False,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=0.0,
        max_request_body_size="never",
    )
