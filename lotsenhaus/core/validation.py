"""The two checks every service starts with: may the actor do this, and is the object valid."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .audit import snapshot
from .exceptions import ApplicationError

M = TypeVar("M", bound=models.Model)


def require_permission(actor: Any, permission: str, obj: Any = None) -> None:
    """Services check permissions too, so a forgotten check in a view, task or command cannot bypass them."""
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def clean_or_refuse(obj: models.Model, exclude: list[str] | None = None, *, database: bool = True) -> None:
    """Run the model's own validation; the first problem becomes an ``ApplicationError`` on its field.

    ``database=False`` leaves out the checks that ask the database one query each (unique fields, constraints),
    for bulk writes that check those for all objects at once."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=database, validate_constraints=database)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise ApplicationError(
            str(errors[0]), field=None if field == "__all__" else field, code="invalid_value"
        ) from exc


def refuse_unknown(fields: Iterable[str], allowed: Iterable[str]) -> None:
    """A service sets only the fields it names; anything else (a forged POST, an API typo) is refused."""
    if unknown := set(fields) - set(allowed):
        raise ApplicationError(
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="unknown_field"
        )


def assign(obj: models.Model, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)


def versioned_edit(
    queryset: models.QuerySet[M],
    pk: int,
    version: int | None,
    fields: dict[str, Any],
    allowed: list[str],
    conflict: str,
) -> tuple[M, dict[str, Any]]:
    """Lock the row, refuse a stale ``version`` (optimistic locking: nobody overwrites another's save unseen),
    apply ``fields`` and return the object with its snapshot from before; the caller validates, bumps the
    version, saves and audits."""
    refuse_unknown(fields, allowed)
    current = queryset.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]
        raise ApplicationError(conflict, code="conflict")
    before = snapshot(current, allowed)
    assign(current, fields)
    return current, before


def checked_upload_type(
    upload: Any,
    *,
    max_bytes: int,
    signatures: dict[str, Callable[[bytes], bool]],
    too_big: str,
    wrong_type: str,
    field: str,
) -> str:
    """The upload's content type, if it is small enough and both its declared type and its first bytes agree.

    Checking the bytes, not only the name or the browser's word, keeps disguised files out.
    """
    if upload.size > max_bytes:
        raise ApplicationError(too_big, field=field, code="invalid_value")
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    head = upload.read(16)
    upload.seek(0)
    matches = signatures.get(declared)
    if matches is None or not matches(head):
        raise ApplicationError(wrong_type, field=field, code="invalid_value")
    return declared
