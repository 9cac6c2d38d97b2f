from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "lotsenhaus.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy
        from lotsenhaus.core.navigation import DashboardCard

        privacy.declare("evaluations.evaluator", keep=("user", "invited_by"))
        privacy.declare("evaluations.price", keep=("entered_by",))

        navigation.register_cards(
            DashboardCard(
                _("Evaluations"),
                _("Evaluations you have been invited to."),
                "roles.expert",
                "evaluations:mine",
                _("Open my evaluations"),
                order=40,
            ),
        )
