"""Base models and the append-only audit log."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HttpsURLField(models.URLField[Any, Any]):
    """A web address whose form field reads an address typed without a scheme as https (Django 6's default, chosen
    now instead of the deprecated http), in every form built from the model, the admin's included."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self) -> Any:
        # The database column is a plain URLField's: migrations name Django's class and import no app code.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


class ChoiceFlags:
    """``obj.status_is.published``: whether a choice field holds a value, so that templates compare states through
    the field's ``TextChoices`` instead of string literals. A value the choices do not have raises AttributeError,
    so a typo fails under strict template variables and in tests instead of being quietly false."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.values: frozenset[str] | None = None  # read from the model field on first use (its _meta is ready)

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        if self.values is None:
            self.values = frozenset(str(key) for key, _label in owner._meta.get_field(self.field).choices)
        return _Flags(getattr(obj, self.field), self.values)


class _Flags:
    __slots__ = ("_value", "_values")

    def __init__(self, value: Any, values: frozenset[str]) -> None:
        self._value = value
        self._values = values

    def __getattr__(self, name: str) -> bool:
        if name not in self._values:
            raise AttributeError(f"{name!r} is not one of the choices {sorted(self._values)}")
        return bool(self._value == name)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ImmutableRecordError(Exception):
    """Raised on any attempt to change or remove a record that is kept as written (an audit entry, a stored
    document of the procurement file)."""


class AuditLogImmutableError(ImmutableRecordError):
    """Raised on any attempt to change or remove an audit entry."""


class StoredDocumentImmutableError(ImmutableRecordError):
    """Raised on any attempt to change or remove a stored document; a new version is generated instead."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutableError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what to which object, and which fields changed from what to what.

    Rows are only ever inserted: the model refuses updates and deletes, and database triggers refuse
    them too (see migration 0002), so not even raw SQL can rewrite history.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        default_permissions = ()
        permissions = [("view_auditlog", "Can view the audit log")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutableError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("The audit log is append-only.")


class AccessibilityFeedback(models.Model):
    """A message sent through the feedback form of the accessibility statement (BITV 2.0 § 7)."""

    created_at = models.DateTimeField(_("received"), default=timezone.now)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.message[:40]}"


class StoredDocument(models.Model):
    """A generated document for the procurement file (e.g. a market exploration report), kept as issued.

    Every generation is a new version; a stored version is never changed or removed, so what went into
    the file can always be shown again exactly.
    """

    kind = models.CharField(_("kind"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object ID"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=255)
    docx = models.FileField(upload_to="documents/%Y/", max_length=200, blank=True)
    pdf = models.FileField(upload_to="documents/%Y/", max_length=200, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(upload_to="documents/%Y/", max_length=200, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("stored document")
        verbose_name_plural = _("stored documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_type", "object_id", "version"], name="document_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise StoredDocumentImmutableError("A stored document is never changed; generate a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise StoredDocumentImmutableError("A stored document is never removed.")
