from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "lotsenhaus.challenges"
    label = "challenges"
    verbose_name = _("Needs")

    def ready(self) -> None:
        from lotsenhaus.core import privacy
        from lotsenhaus.matching.registry import register

        from . import services
        from .search import SOURCE

        privacy.register_retention("answers", lambda now: services.answers_expire(now=now))
        privacy.declare("challenges.challenge", keep=("owner",), email=("contact_email", "contact_name", "clear"))
        privacy.declare("challenges.reviewcomment", keep=("author",))
        privacy.declare("challenges.transition", keep=("actor",))
        privacy.declare("challenges.answer", keep=("submitted_by",))
        privacy.declare("challenges.answerattachment", keep=("uploaded_by",))
        privacy.declare("challenges.call", keep=("created_by",))

        register(SOURCE)

        from lotsenhaus.core import navigation
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        navigation.register(
            NavItem(label=_("Needs"), url_name="challenges:board", order=20),
            NavItem(
                label=_("Needs workspace"),
                url_name="challenges:workspace",
                permission="challenges.use_workspace",
                order=25,
            ),
        )
        navigation.register_cards(
            DashboardCard(
                _("Needs under review"),
                _("Review needs submitted by the authorities and publish them."),
                "roles.coordinator",
                "challenges:workspace",
                _("Open the needs under review"),
                order=10,
                query="?status=in_review",
            ),
            DashboardCard(
                _("My needs"),
                _("Describe a need in plain language and follow it to a pilot."),
                "roles.need_owner",
                "challenges:workspace",
                _("Open my needs"),
                order=20,
            ),
            DashboardCard(
                _("Open needs"),
                _("Needs of the administration that your solutions could meet."),
                "roles.startup_member",
                "challenges:board",
                _("Open the challenge board"),
                order=30,
                query="?open_only=on",
            ),
            DashboardCard(
                _("Post a need"),
                _("Describe what your authority needs in plain language, step by step."),
                "roles.need_owner",
                "challenges:create",
                _("Post a new need"),
                order=19,
            ),
        )
