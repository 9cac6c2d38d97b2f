"""The two checks every service starts with: may the actor do this, and is the object valid."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lotsenhaus.core.actors import Actor

from .audit import audit, diff, snapshot
from .exceptions import ApplicationError

M = TypeVar("M", bound=models.Model)


def require_permission(actor: Actor, permission: str, obj: Any = None) -> None:
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


@dataclass
class Edit(Generic[M]):
    """A row locked for an edit by ``versioned_edit``: ``obj`` carries the new values, ``before`` its snapshot from
    before. The service checks what only it knows, then ``save`` finishes the edit the same way everywhere."""

    obj: M
    before: dict[str, Any]
    fields: list[str]

    def save(
        self,
        *,
        actor: Actor,
        action: str,
        exclude: list[str] | None = None,
        after_save: Callable[[M, dict[str, Any]], dict[str, Any]] | None = None,
        audit_unchanged: bool = False,
    ) -> dict[str, Any]:
        """Validate the model, bump the version, save, and audit what changed (``after_save`` may change more –
        related rows – and returns those changes too). An edit that changed nothing writes no audit entry unless
        ``audit_unchanged`` (a save that has consequences of its own, e.g. a new approval round)."""
        clean_or_refuse(self.obj, exclude=exclude)
        self.obj.version += 1  # type: ignore[attr-defined]
        self.obj.save()
        changes = diff(self.before, snapshot(self.obj, self.fields))
        if after_save is not None:
            changes |= after_save(self.obj, changes)
        if changes or audit_unchanged:
            audit(actor=actor, action=action, obj=self.obj, changes=changes)
        return changes


def versioned_edit(
    queryset: models.QuerySet[M],
    pk: int,
    version: int | None,
    fields: dict[str, Any],
    allowed: list[str],
    conflict: str,
) -> Edit[M]:
    """Lock the row, refuse a stale ``version`` (optimistic locking: nobody overwrites another's save unseen) and
    apply ``fields``; the service checks the result and calls ``Edit.save`` (docs/architecture.md)."""
    refuse_unknown(fields, allowed)
    current = queryset.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]
        raise ApplicationError(conflict, code="conflict")
    before = snapshot(current, allowed)
    assign(current, fields)
    return Edit(current, before, list(allowed))


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
