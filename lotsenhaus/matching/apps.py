from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MatchingConfig(AppConfig):
    name = "lotsenhaus.matching"
    label = "matching"
    verbose_name = _("Search and matching")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy

        privacy.declare("matching.digestsubscription", delete=("user",))

        navigation.register(
            navigation.NavItem(label=pgettext_lazy("navigation", "Search"), url_name="matching:search", order=15)
        )
        navigation.register_cards(
            navigation.DashboardCard(
                _("Search index"),
                _("See how far the search index is and rebuild it when needed."),
                "matching.view_index_status",
                "matching:index_status",
                _("Open the search index"),
                order=90,
            ),
        )
