from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplorationConfig(AppConfig):
    name = "lotsenhaus.exploration"
    label = "exploration"
    verbose_name = _("Market exploration")
