from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "lotsenhaus.advisory"
    label = "advisory"
    verbose_name = _("Advisory track")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy, reminders
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        from . import reminders as advisory_reminders

        privacy.declare("advisory.enrolment", keep=("advisor",))
        privacy.declare("advisory.advisorysession", keep=("created_by",))

        reminders.register("advisory", advisory_reminders.queue)
        navigation.register(
            NavItem(label=_("Advisory track"), url_name="advisory:list", permission="advisory.manage", order=28)
        )
        navigation.register_cards(
            DashboardCard(
                _("Advisory track"),
                _("Startups in the two-year programme, their progress, and who is stuck."),
                "advisory.manage",
                "advisory:list",
                _("Open the advisory track"),
                order=62,
            ),
            DashboardCard(
                _("Advisory track"),
                _("The two-year programme: your advisor, milestones and the notes of each session."),
                "roles.startup_member",
                "advisory:list",
                _("Open my programme"),
                order=35,
            ),
        )
