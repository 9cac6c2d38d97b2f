from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import FormOfAddress


class UserManager(BaseUserManager["User"]):
    use_in_migrations = False  # migrations must not import app code

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person; signs in with the e-mail address. Roles come from organisation memberships."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    form_of_address = models.CharField(
        _("form of address"), max_length=1, blank=True, default="", choices=FormOfAddress.choices
    )
    is_service_account = models.BooleanField(
        _("system account"), default=False, help_text=_("Used by another system through the API; cannot sign in.")
    )
    # Set when the person's data was erased: the row stays as a pseudonym so records and the audit log
    # that point at it stay intact.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def audit_repr(self) -> str:
        return f"person #{self.pk}"

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """The permissions of ``rules.py`` hold for platform admins (superusers) only as those rules say.

        The rules already grant admins what the unit may do (``is_unit_staff``), but also carry the
        life-cycle conditions: Django's superuser shortcut would let an admin change prices of a closed
        evaluation or act as need owner, startup and expert at once. Other permissions (the admin site)
        keep the shortcut.

        A rule is asked directly, not through every authentication backend: Django's model backend would answer
        a refused rule by loading the person's and their groups' model permissions (two queries on every page
        whose navigation hides an item) – and for an admin it would grant a rule that shares its name with a
        model permission (``needs.change_need``), against the rule.
        """
        if (perm.startswith("roles.") or rules.perm_exists(perm)) and self.is_active:
            return rules.has_rule(perm, self, obj)
        return super().has_perm(perm, obj)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the token is shown once when created.

    Every token has a scope and an end (at most ``LOTSENHAUS_API_TOKEN_MAX_DAYS``); a person's tokens are
    revoked when their password is changed or reset.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
