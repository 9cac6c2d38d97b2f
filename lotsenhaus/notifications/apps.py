from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lotsenhaus.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lotsenhaus.core import metrics, navigation, privacy
        from lotsenhaus.core.navigation import DashboardCard

        from . import selectors

        privacy.declare("notifications.notification", delete=("user",))
        privacy.declare("notifications.preference", delete=("user",))
        metrics.register_gauge(
            "lotsenhaus_emails_waiting",
            "Notifications to be e-mailed at once that have not gone out yet.",
            selectors.emails_waiting,
        )

        navigation.register_cards(
            DashboardCard(
                _("Notifications"),
                _("What happened to your needs, answers, evaluations, pilots and events; choose how often we e-mail."),
                "notifications.view_own",
                "notifications:list",
                _("Open your notifications"),
                order=95,
            ),
        )
