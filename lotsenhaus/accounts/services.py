import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError

from .models import ApiToken, User


@transaction.atomic
def user_update_profile(*, actor: Any, user: User, name: str) -> User:
    if actor.pk != user.pk:
        raise ApplicationError(_("You can only change your own profile."))
    before = snapshot(user, ["name"])
    user.name = name.strip()
    user.save(update_fields=["name"])
    audit(actor=actor, action="user.update", obj=user, changes=diff(before, snapshot(user, ["name"])))
    return user


@transaction.atomic
def user_create(*, actor: Any, email: str, name: str, is_platform_admin: bool = False) -> User:
    """Create a person who has no password yet; they set one through the reset link."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(_("A person with this e-mail address already exists."), field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, name=name.strip(), is_superuser=is_platform_admin, is_staff=is_platform_admin
            )
    except IntegrityError as exc:
        raise ApplicationError(_("A person with this e-mail address already exists."), field="email") from exc
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit(
        actor=actor,
        action="user.create",
        obj=user,
        changes={"email": [None, email], "name": [None, user.name]},
    )
    return user


def user_record_auth_event(*, user: Any, action: str, detail: dict[str, Any] | None = None) -> None:
    """Sign-in related events (sign-up, verification, MFA changes) go into the audit log too."""
    audit(actor=user, action=action, obj=user, changes=detail or {})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Any, name: str, user: User | None = None, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for oneself, or (platform admins) for a system account; returns the token text once."""
    owner = user or actor
    if owner.pk != actor.pk and not (actor.is_superuser and owner.is_service_account):
        raise ApplicationError(_("You can only create tokens for yourself."))
    if not name.strip():
        raise ApplicationError(_("Please give the token a name."), field="name")
    prefix = secrets.token_hex(4)
    token = f"lh_{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + datetime.timedelta(days=days) if days else None
    api_token = ApiToken.objects.create(
        user=owner, name=name.strip()[:100], prefix=prefix, digest=_digest(token), expires_at=expires
    )
    audit(actor=actor, action="api_token.create", obj=api_token, changes={"user": [None, owner.email]})
    return api_token, token


@transaction.atomic
def api_token_revoke(*, actor: Any, api_token: ApiToken) -> ApiToken:
    if api_token.user_id != actor.pk and not actor.is_superuser:
        raise ApplicationError(_("You can only revoke your own tokens."))
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit(actor=actor, action="api_token.revoke", obj=api_token)
    return api_token


def api_token_authenticate(token: str) -> User | None:
    """The user behind a bearer token, if it is valid; records its use at most once a minute."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "lh":
        return None
    api_token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if api_token is None or not hmac.compare_digest(api_token.digest, _digest(token)):
        return None
    now = timezone.now()
    if api_token.revoked_at or (api_token.expires_at and api_token.expires_at < now) or not api_token.user.is_active:
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
