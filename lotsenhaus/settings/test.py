"""Tests: fast hashing, e-mails kept in memory, tasks run at once; same database engines as production."""

from typing import Any, cast

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "lotsenhaus.core.storage.LocalStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise would walk the collected static files (1,400 files after `make demo`) each time a test client builds
# its middleware, i.e. in every test; looking a file up when it is asked for costs nothing until then.
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class UndefinedTemplateVariableError(Exception):
    """A template of ours printed a variable its context does not have (issue 19, item 5)."""


class _StrictInOurTemplates(str):
    """``string_if_invalid`` for the suite: a variable printed by one of *our* templates that the context lacks fails
    the request (and with it the test); third-party templates (allauth's own pages) keep Django's empty string.
    ``{% if %}`` and ``|default`` on a missing key are not affected: only printing a missing variable is."""

    OURS = str(BASE_DIR / "lotsenhaus")  # noqa: F405
    # A str (empty) so that Django's system check (templates.E002) accepts it under the test settings.

    def __bool__(self) -> bool:
        return True  # Django consults string_if_invalid only when it is truthy

    def __contains__(self, key: object) -> bool:
        return key == "%s"  # so Django calls __mod__ with the variable's name

    def __mod__(self, variable: object) -> str:
        import inspect

        for frame in inspect.stack()[1:]:
            origin = getattr(frame.frame.f_locals.get("self"), "origin", None)
            if frame.function == "render" and origin is not None:
                name = str(getattr(origin, "name", origin))
                if name.startswith(self.OURS):
                    raise UndefinedTemplateVariableError(f"{variable!r} is not in the context of {name}")
                return ""
        return ""


_engine: dict[str, Any]
for _engine in TEMPLATES:  # noqa: F405
    if str(_engine["BACKEND"]).endswith("DjangoTemplates"):
        _options = cast(dict[str, Any], _engine["OPTIONS"])
        _options["string_if_invalid"] = _StrictInOurTemplates()
