from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "lotsenhaus.procurement"
    label = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy
        from lotsenhaus.core.navigation import DashboardCard

        privacy.declare("procurement.valuelimit", keep=("changed_by",))
        privacy.declare("procurement.valuelimitchange", keep=("proposed_by", "decided_by"))

        navigation.register_cards(
            DashboardCard(
                _("Procurement path"),
                _("Which procedure fits a pilot's value? The advisor proposes one and cites the rule."),
                "roles.coordinator",
                "procurement:advisor",
                _("Open the procurement path advisor"),
                order=60,
            ),
        )
