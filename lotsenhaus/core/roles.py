"""Platform roles and the predicates every app's ``rules.py`` builds on.

Core knows the role names but not where they come from: the resolver named in
``settings.LOTSENHAUS_ROLE_RESOLVER`` (the organisations app) derives them from memberships,
so core stays free of domain imports.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotsenhaus.core import predicates as rules
from lotsenhaus.core.actors import Actor

_CACHE_ATTR = "_lotsenhaus_roles"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EXPERT = "expert", _("Expert")
    NEED_OWNER = "need_owner", _("Need owner")
    STARTUP_MEMBER = "startup_member", _("Startup member")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class FormOfAddress(models.TextChoices):
    """How role names address a person in German (issue 17, D39); English has one form."""

    NEUTRAL = "", _("Neutral terms (e.g. Koordination)")
    FEMININE = "f", _("Feminine terms (e.g. Koordinatorin)")
    MASCULINE = "m", _("Masculine terms (e.g. Koordinator)")


# Role names by form of address; the neutral ones are the Role labels themselves.
_GENDERED = {
    (Role.COORDINATOR, "f"): pgettext_lazy("feminine", "Coordinator"),
    (Role.COORDINATOR, "m"): pgettext_lazy("masculine", "Coordinator"),
    (Role.EXPERT, "f"): pgettext_lazy("feminine", "Expert"),
    (Role.EXPERT, "m"): pgettext_lazy("masculine", "Expert"),
    (Role.NEED_OWNER, "f"): pgettext_lazy("feminine", "Need owner"),
    (Role.NEED_OWNER, "m"): pgettext_lazy("masculine", "Need owner"),
    (Role.PLATFORM_ADMIN, "f"): pgettext_lazy("feminine", "Platform administrator"),
    (Role.PLATFORM_ADMIN, "m"): pgettext_lazy("masculine", "Platform administrator"),
}


def role_label(role: str, form_of_address: str = "") -> Any:
    """The name of a role as the person chose to be addressed."""
    return _GENDERED.get((Role(role), form_of_address), Role(role).label)


def roles_of(user: Actor) -> frozenset[str]:
    """The user's platform roles, computed once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        resolver = import_string(settings.LOTSENHAUS_ROLE_RESOLVER)
        cached = frozenset(resolver(user))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Actor) -> None:
    """Drop the cached roles after a membership change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _has(role: Role) -> rules.Predicate:
    return rules.predicate(lambda user: role.value in roles_of(user), name=f"has_role_{role.value}")


is_coordinator = _has(Role.COORDINATOR)
is_expert = _has(Role.EXPERT)
is_need_owner = _has(Role.NEED_OWNER)
is_startup_member = _has(Role.STARTUP_MEMBER)
is_platform_admin = _has(Role.PLATFORM_ADMIN)
is_unit_staff = is_coordinator | is_platform_admin
