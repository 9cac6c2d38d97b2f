"""The Django admin as a read-only look-up tool behind the platform's own sign-in.

Django's own admin login takes a password alone: no second factor, no throttling, no account lock. Here the
admin's login view sends people to allauth's sign-in (second factor, rate limits, lock-out all apply) and
every model registered by any app – ours, allauth's e-mail addresses, authenticators, social accounts and
tokens, groups, task results – is shown read-only, so that no change escapes the services and their audit
entries.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse

_MODEL_PERMISSIONS = ModelBackend()


class ReadOnlyAdminMixin:
    """No add, change, delete or bulk action; viewing stays."""

    opts: Any

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Django's model permission as Django answers it (superusers have all; others through the model backend):
        a rule of the product may carry the same name (``organisations.view_organisation``), answers for the
        product's pages and one object at a time, and ``User.has_perm`` asks such rules only."""
        user = request.user
        if user.is_active and getattr(user, "is_superuser", False):
            return True
        permission = f"{self.opts.app_label}.{get_permission_codename('view', self.opts)}"
        return bool(_MODEL_PERMISSIONS.has_perm(user, permission))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class LotsenhausAdminSite(admin.AdminSite):
    site_header = "Lotsenhaus"
    site_title = "Lotsenhaus"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, ReadOnlyAdminMixin):
            base = type(f"ReadOnly{base.__name__}", (ReadOnlyAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Signed-in staff go on; everyone else signs in through allauth (with the second factor)."""
        from allauth.account.decorators import secure_admin_login

        return secure_admin_login(super().login)(request, extra_context)
