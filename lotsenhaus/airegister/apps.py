from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AiRegisterConfig(AppConfig):
    name = "lotsenhaus.airegister"
    label = "airegister"
    verbose_name = _("AI register")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy

        privacy.declare(
            "airegister.usecase",
            keep=("created_by", "last_edited_by", "submitted_by", "approved_by"),
            email=("contact_email", "", "clear"),
        )
        privacy.declare("airegister.assessment", keep=("created_by", "signed_off_by"))
        privacy.declare("airegister.publishedversion", keep=("published_by",))
        privacy.declare("airegister.readermessage", keep=("answered_by",), email=("email", "", "clear"))
        privacy.declare("airegister.dutycheck", keep=("checked_by",))

        navigation.register(
            navigation.NavItem(label=_("AI register"), url_name="airegister:public_list", order=40),
            navigation.NavItem(
                label=_("AI use cases"),
                url_name="airegister:workspace",
                permission="airegister.use_workspace",
                order=45,
            ),
        )
