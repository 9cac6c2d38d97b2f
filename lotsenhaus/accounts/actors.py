"""The type of ``actor`` in every service and of ``user`` in every selector and rule.

A view hands over ``request.user``: the signed-in :class:`~lotsenhaus.accounts.models.User` (people and service
accounts alike) or Django's ``AnonymousUser`` for a public page. Services check the permission first; where a
service needs the person itself (to record who created something), :func:`signed_in` narrows the type after
that check.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from lotsenhaus.accounts.models import User

Actor: TypeAlias = User | AnonymousUser


def signed_in(actor: Actor) -> User:
    """The actor as a user account; an anonymous actor is refused as a missing permission is."""
    if isinstance(actor, User):
        return actor
    raise PermissionDenied


class SignedInRequest(HttpRequest):
    """The request a view behind ``login_required`` or an API operation with the default authentication gets.

    Its user is signed in (the decorator or the API's authentication sent everyone else away), so a view typed
    with it may hand ``request.user`` to a service that needs a person; mypy refuses that for a plain
    ``HttpRequest``, whose user may be anonymous.
    """

    user: User
