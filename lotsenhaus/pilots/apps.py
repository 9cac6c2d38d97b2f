from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "lotsenhaus.pilots"
    label = "pilots"
    verbose_name = _("Pilots")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy, reminders

        from . import reminders as pilot_reminders

        privacy.declare("pilots.pilotdecision", keep=("decided_by",))
        privacy.declare("pilots.measurement", keep=("recorded_by",))
        privacy.declare("pilots.milestone", keep=("owner",))
        privacy.declare("pilots.statusreport", keep=("author",))
        privacy.declare("pilots.riskitem", keep=("created_by",))

        reminders.register("milestones", pilot_reminders.queue)
        reminders.register("experimentation_clause", pilot_reminders.queue_clause_expiry)
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        navigation.register(
            NavItem(label=_("Pilots"), url_name="pilots:list", permission="pilots.list_pilots", order=26),
            NavItem(label=_("Portfolio"), url_name="pilots:portfolio", permission="pilots.view_portfolio", order=27),
        )
        navigation.register_cards(
            DashboardCard(
                _("Portfolio"),
                _("Needs by state, time in each state, conversion and pilots by authority, technology and startup."),
                "roles.coordinator",
                "pilots:portfolio",
                _("Open the portfolio"),
                order=12,
            ),
        )
