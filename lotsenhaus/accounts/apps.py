from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lotsenhaus.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from lotsenhaus.core import navigation, privacy

        from . import receivers  # noqa: F401

        privacy.declare("accounts.apitoken", delete=("user",), secret=("digest",))
        privacy.declare("account.emailaddress", delete=("user",))
        privacy.declare("mfa.authenticator", delete=("user",), secret=("data",))
        privacy.declare("socialaccount.socialaccount", delete=("user",))
        privacy.declare("admin.logentry", keep=("user",))

        navigation.register(
            navigation.NavItem(label=_("Overview"), url_name="dashboard", permission="accounts.use_platform", order=10),
            navigation.NavItem(
                label=_("My account"),
                url_name="accounts:profile",
                permission="accounts.use_platform",
                order=95,
            ),
        )
