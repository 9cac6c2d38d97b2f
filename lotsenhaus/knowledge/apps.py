from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "lotsenhaus.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from lotsenhaus.core import privacy
        from lotsenhaus.matching.registry import register

        from .search import SOURCE

        privacy.declare("knowledge.article", keep=("author",))
        privacy.declare("knowledge.articleversion", keep=("created_by",))
        privacy.declare("knowledge.expertprofile", delete=("user",))

        register(SOURCE)

        from lotsenhaus.core import navigation
        from lotsenhaus.core.navigation import DashboardCard, NavItem

        navigation.register(NavItem(label=_("Knowledge"), url_name="knowledge:list", order=41))
        navigation.register_cards(
            DashboardCard(
                _("Articles to review"),
                _("Articles sent for review: publish them or return them with a note."),
                "roles.coordinator",
                "knowledge:workspace",
                _("Open the review queue"),
                order=65,
            ),
            DashboardCard(
                _("Share what you learned"),
                _("Write a best practice, lessons learned from a pilot, or a guide for others."),
                "knowledge.add_article",
                "knowledge:create",
                _("Write an article"),
                order=90,
            ),
            DashboardCard(
                _("My expert profile"),
                _("Areas of expertise, availability and languages; you choose what is public."),
                "roles.expert",
                "knowledge:expert_edit",
                _("Edit my expert profile"),
                order=91,
            ),
        )
