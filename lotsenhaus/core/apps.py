from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "lotsenhaus.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import known_accounts, navigation, privacy  # noqa: F401 (known_accounts registers a check)

        # Every app declares its audit actions in an ``audit_actions`` module; load them all, so that the audit log
        # knows every code before the first entry is written (core.audit.action).
        autodiscover_modules("audit_actions")
        privacy.declare("core.auditentry", keep=("actor",))
        privacy.declare("core.accessibilityfeedback", keep=("user",), email=("email", "name", "clear"))
        privacy.declare("core.storeddocument", keep=("created_by",))

        navigation.register(
            navigation.NavItem(
                label=_("Audit log"), url_name="core:audit_log", permission="core.view_auditlog", order=90
            )
        )


class LotsenhausAdminConfig(admin_apps.AdminConfig):
    """The admin site behind the platform's sign-in, read-only for every model (core/admin_site.py)."""

    default = False

    default_site = "lotsenhaus.core.admin_site.LotsenhausAdminSite"
