from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplorationConfig(AppConfig):
    name = "lotsenhaus.exploration"
    label = "exploration"
    verbose_name = _("Market exploration")

    def ready(self) -> None:
        from lotsenhaus.core import privacy

        from . import services

        privacy.register_retention("contacts", lambda now: services.contacts_expire(now=now))
        privacy.declare("exploration.searchrun", keep=("actor",))
        privacy.declare("exploration.candidate", keep=("added_by",))
        privacy.declare("exploration.contact", keep=("recorded_by",))
        privacy.declare("exploration.question", keep=("asked_by", "answered_by"))
        # The dashboard card for running explorations lives with the pipeline overview (needs app).
