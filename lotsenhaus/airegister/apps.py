from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AiRegisterConfig(AppConfig):
    name = "lotsenhaus.airegister"
    label = "airegister"
    verbose_name = _("AI register")

    def ready(self) -> None:
        from lotsenhaus.core import navigation

        navigation.register(
            navigation.NavItem(label=_("AI register"), url_name="airegister:public_list", order=40),
            navigation.NavItem(
                label=_("AI use cases"),
                url_name="airegister:workspace",
                permission="airegister.use_workspace",
                order=45,
            ),
        )
