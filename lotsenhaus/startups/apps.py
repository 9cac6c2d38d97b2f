from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # models may not be imported before the apps are loaded
    from lotsenhaus.accounts.actors import Actor
    from lotsenhaus.accounts.models import User
    from lotsenhaus.organisations.models import Organisation


class StartupsConfig(AppConfig):
    name = "lotsenhaus.startups"
    label = "startups"
    verbose_name = _("Startups")

    def ready(self) -> None:
        from lotsenhaus.core import privacy
        from lotsenhaus.matching.registry import DIGEST, FACETS, register

        from . import search, selectors
        from .search import PROFILES, SOLUTIONS

        privacy.declare(
            "startups.startupprofile", keep=("verified_by",), email=("contact_email", "contact_name", "clear")
        )
        privacy.declare("startups.startupimport", keep=("created_by", "run_by"))
        privacy.declare("startups.contactperson", email=("email", "", "delete"))
        privacy.register_retention("unverified_startups", _expire_unverified)

        register(SOLUTIONS)
        register(PROFILES)
        # The weekly digest (matching) asks which startup a person answers for and which startups are verified.
        DIGEST.own_profile = lambda user: selectors.answering_profile(user=user)
        DIGEST.verified_profiles = selectors.verified_profiles
        # The search forms filter solutions and startups by their facets (matching.forms).
        FACETS.fields = search.facet_fields
        FACETS.filters = search.facet_filters

        from lotsenhaus.organisations.signals import identity_changed

        identity_changed.connect(_identity_changed, dispatch_uid="startups.identity_changed")

        from django.db.models.signals import post_save

        from lotsenhaus.organisations.models import Organisation

        post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="startups.organisation_saved")

        from lotsenhaus.core import navigation

        navigation.register(
            navigation.NavItem(
                label=_("Startups"), url_name="startups:directory", permission="startups.view_directory", order=30
            ),
        )

        def own_profile(user: "Actor") -> str | None:
            from django.urls import reverse

            from .selectors import own_profile_id

            pk = own_profile_id(user)
            return reverse("startups:detail", args=[pk]) if pk else None

        navigation.register_cards(
            navigation.DashboardCard(
                _("Our profile"),
                _("Keep your profile, references and solutions up to date."),
                "roles.startup_member",
                link_label=_("Open our profile"),
                order=31,
                url_for=own_profile,
            ),
            navigation.DashboardCard(
                _("Startups to verify"),
                _("Startups that registered themselves wait for a check before they get the verified badge."),
                "roles.coordinator",
                "startups:directory",
                _("Open the startups to verify"),
                order=13,
                query="?verification=unverified",
            ),
        )


def _identity_changed(
    sender: object, *, organisation: "Organisation", actor: "User", changed: list[str], **kwargs: object
) -> None:
    from .services import startup_identity_changed

    startup_identity_changed(organisation=organisation, actor=actor, changed=changed)


def _organisation_saved(sender: object, instance: Any, raw: bool = False, **kwargs: object) -> None:
    """A renamed organisation renames its startup profile's copy of the name (the directory's sort key)."""
    from .models import StartupProfile

    StartupProfile.objects.filter(organisation_id=instance.pk).exclude(name=instance.name).update(name=instance.name)


def _expire_unverified(now: object) -> int:
    from .services import unverified_startups_expire

    return unverified_startups_expire(now=now)
