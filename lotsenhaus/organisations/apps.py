from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "lotsenhaus.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        privacy.declare("organisations.membership", delete=("user",))

        navigation.register(
            NavItem(
                label=_("Organisations"),
                url_name="organisations:list",
                permission="organisations.view_organisation_list",
                order=60,
            ),
        )
        card = DashboardCard
        navigation.register_cards(
            # Need owners in authorities.
            card(
                _("Candidates"),
                _("The startups the unit found for your needs in market exploration."),
                "roles.need_owner",
                "needs:workspace",
                _("Open my needs in market exploration"),
                order=21,
                query="?status=exploration",
            ),
            # Startups.
            # Platform administrators.
            card(
                _("Organisations and people"),
                _("Create organisations and manage their members."),
                "roles.platform_admin",
                "organisations:list",
                _("Manage organisations"),
                order=50,
            ),
            card(
                _("Audit log"),
                _("Every change of state, who made it and when."),
                "core.view_auditlog",
                "core:audit_log",
                _("Open the audit log"),
                order=51,
            ),
            # Signed-in people without an organisation.
            card(
                _("Waiting for assignment"),
                _("Your account is not yet part of an organisation. The venture-client unit will assign you."),
                "roles.unassigned",
                order=90,
            ),
        )
