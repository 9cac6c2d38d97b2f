from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError

from .models import User


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
