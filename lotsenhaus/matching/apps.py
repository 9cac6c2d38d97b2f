from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MatchingConfig(AppConfig):
    name = "lotsenhaus.matching"
    label = "matching"
    verbose_name = _("Search and matching")

    def ready(self) -> None:
        from lotsenhaus.core import metrics, navigation, privacy
        from lotsenhaus.core.signals import worker_starting

        from . import selectors, translation

        # The dictionary is compiled before a worker takes tasks: inside the first task that searches it cost
        # 3.6 s, during which that worker's e-mails waited (docs/matching.md).
        worker_starting.connect(lambda **_kwargs: translation.available(), weak=False, dispatch_uid="dictionary")

        privacy.declare("matching.digestsubscription", delete=("user",))
        metrics.register_gauge(
            "lotsenhaus_embeddings_pending",
            "Search documents whose current text has no embedding yet.",
            lambda: selectors.pending_embeddings().count(),
        )
        metrics.register_gauge(
            "lotsenhaus_search_index_lag_seconds",
            "Age of the oldest search document still waiting for its embedding (0: the index is complete).",
            selectors.index_lag_seconds,
        )

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
