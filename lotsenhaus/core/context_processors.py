from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from lotsenhaus import __version__

from . import navigation
from .roles import Role, role_label, roles_of


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs on every page: navigation by role and the operator's details."""
    # Error pages for requests refused before authentication (a disallowed Host) have no user yet.
    user = getattr(request, "user", None) or AnonymousUser()
    roles = roles_of(user)
    return {
        "nav_items": navigation.nav_for(user, request.path),
        "user_roles": [role_label(r, getattr(user, "form_of_address", "")) for r in Role.values if r in roles],
        "operator": settings.LOTSENHAUS_OPERATOR,
        "lotsenhaus_version": __version__,
    }
