from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the user model may not be imported before the apps are loaded
    from lotsenhaus.accounts.actors import Actor


_STAGE_COUNTS = "_lotsenhaus_stage_counts"  # cached on the user object for the request


def _stage_count(user: "Actor", stage: str) -> int:
    """Needs per stage (and overdue ones) for the dashboard, counted once per request."""
    counts = getattr(user, _STAGE_COUNTS, None)
    if counts is None:
        from .selectors import dashboard_counts

        counts = dashboard_counts()
        setattr(user, _STAGE_COUNTS, counts)
    return int(counts.get(stage, 0))


class NeedsConfig(AppConfig):
    name = "lotsenhaus.needs"
    label = "needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        from lotsenhaus.core import privacy
        from lotsenhaus.matching.registry import DIGEST, register

        from . import selectors, services
        from .search import SOURCE

        privacy.register_retention("answers", lambda now: services.answers_expire(now=now))
        privacy.declare("needs.need", keep=("owner", "coordinator"), email=("contact_email", "contact_name", "clear"))
        privacy.declare("needs.pipelineview", delete=("owner",))
        privacy.declare("needs.reviewcomment", keep=("author",))
        privacy.declare("needs.transition", keep=("actor",))
        privacy.declare("needs.answer", keep=("submitted_by",))
        privacy.declare("needs.answerattachment", keep=("uploaded_by",))
        privacy.declare("needs.call", keep=("created_by",))

        register(SOURCE)
        # The weekly digest of new needs for startups (matching) asks which needs are new.
        DIGEST.published_since = lambda since: selectors.published_since(since=since)

        from lotsenhaus.core import navigation
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        navigation.register(
            NavItem(label=_("Needs"), url_name="needs:board", order=20),
            NavItem(
                label=_("Needs workspace"),
                url_name="needs:workspace",
                permission="needs.use_workspace",
                order=25,
            ),
            NavItem(
                label=_("Pipeline"),
                url_name="needs:pipeline",
                permission="needs.view_all_needs",
                order=26,
            ),
        )
        navigation.register_cards(
            DashboardCard(
                _("Needs under review"),
                _("Review needs submitted by the authorities and publish them."),
                "roles.coordinator",
                "needs:pipeline",
                _("Open the needs under review"),
                order=10,
                query="?status=in_review",
                count=lambda user: _stage_count(user, "in_review"),
            ),
            DashboardCard(
                _("Deadline passed"),
                _("Published needs whose answer deadline has passed: time for the market exploration."),
                "roles.coordinator",
                "needs:pipeline",
                _("Open these needs"),
                order=11,
                query="?overdue=on",
                count=lambda user: _stage_count(user, "overdue"),
            ),
            DashboardCard(
                _("In market exploration and evaluation"),
                _("Needs whose long list or jury is at work."),
                "roles.coordinator",
                "needs:pipeline",
                _("Open these needs"),
                order=12,
                query="?status=exploration&status=evaluation",
                count=lambda user: _stage_count(user, "exploration") + _stage_count(user, "evaluation"),
            ),
            DashboardCard(
                _("Running pilots"),
                _("Pilots under way, with their next milestones and the decision to come."),
                "roles.coordinator",
                "needs:pipeline",
                _("Open the pilots"),
                order=13,
                query="?status=pilot",
                count=lambda user: _stage_count(user, "pilot"),
            ),
            DashboardCard(
                _("My needs"),
                _("Describe a need in plain language and follow it to a pilot."),
                "roles.need_owner",
                "needs:workspace",
                _("Open my needs"),
                order=20,
            ),
            DashboardCard(
                _("Open needs"),
                _("Needs of the administration that your solutions could meet."),
                "roles.startup_member",
                "needs:board",
                _("Open the need board"),
                order=30,
                query="?open_only=on",
            ),
            DashboardCard(
                _("Post a need"),
                _("Describe what your authority needs in plain language, step by step."),
                "roles.need_owner",
                "needs:create",
                _("Post a new need"),
                order=19,
            ),
        )
