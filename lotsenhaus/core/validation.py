"""The two checks every service starts with: may the actor do this, and is the object valid."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from .exceptions import ApplicationError


def require_permission(actor: Any, permission: str, obj: Any = None) -> None:
    """Services check permissions too, so a forgotten check in a view, task or command cannot bypass them."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def clean_or_refuse(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's own validation; the first problem becomes an ``ApplicationError`` on its field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise ApplicationError(str(errors[0]), field=None if field == "__all__" else field) from exc
