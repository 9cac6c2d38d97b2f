import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotsenhaus.core import privacy
from lotsenhaus.core.audit import audit
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.roles import FormOfAddress

from . import audit_actions
from .models import ApiToken, TokenScope, User


@transaction.atomic
def user_update_profile(*, actor: User, user: User, name: str, form_of_address: str | None = None) -> User:
    if actor.pk != user.pk:
        raise ApplicationError(_("You can only change your own profile."), code="not_allowed")
    changed = ["name"] if user.name != name.strip() else []
    user.name = name.strip()
    if form_of_address is not None:
        if form_of_address not in FormOfAddress.values:
            raise ApplicationError(_("Unknown form of address."), field="form_of_address", code="invalid_value")
        if form_of_address != user.form_of_address:
            changed.append("form_of_address")
        user.form_of_address = form_of_address
    user.save(update_fields=["name", "form_of_address"])
    audit(actor=actor, action=audit_actions.USER_UPDATE, obj=user, changes={"changed": changed})
    return user


@transaction.atomic
def user_create(*, actor: User, email: str, name: str, is_platform_admin: bool = False) -> User:
    """Create a person who has no password yet; they set one through the reset link."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(_("A person with this e-mail address already exists."), field="email", code="duplicate")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, name=name.strip(), is_superuser=is_platform_admin, is_staff=is_platform_admin
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("A person with this e-mail address already exists."), field="email", code="duplicate"
        ) from exc
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit(
        actor=actor,
        action=audit_actions.USER_CREATE,
        obj=user,
        changes={"platform_admin": [None, is_platform_admin]},
    )
    return user


def user_record_auth_event(*, user: User, action: str, detail: dict[str, Any] | None = None) -> None:
    """Sign-in related events (sign-up, verification, MFA changes) go into the audit log too."""
    audit(actor=user, action=action, obj=user, changes=detail or {})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, days: int, scope: str = TokenScope.READ, user: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token for oneself, or (platform admins) for a system account; returns the token text once.

    Every token ends: after ``days``, at most ``LOTSENHAUS_API_TOKEN_MAX_DAYS``.
    """
    owner = user or actor
    if owner.pk != actor.pk and not (actor.is_superuser and owner.is_service_account):
        raise ApplicationError(_("You can only create tokens for yourself."), code="not_allowed")
    if not name.strip():
        raise ApplicationError(_("Please give the token a name."), field="name", code="required")
    if scope not in TokenScope.values:
        raise ApplicationError(_("Please choose what the token may do."), field="scope", code="required")
    longest = settings.LOTSENHAUS_API_TOKEN_MAX_DAYS
    if not days or days < 1 or days > longest:
        raise ApplicationError(
            _("A token is valid for 1 to %(days)s days.") % {"days": longest}, field="days", code="invalid_value"
        )
    prefix = secrets.token_hex(4)
    token = f"lh_{prefix}_{secrets.token_urlsafe(32)}"
    api_token = ApiToken.objects.create(
        user=owner,
        name=name.strip()[:100],
        prefix=prefix,
        digest=_digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        scope=scope,
    )
    audit(
        actor=actor,
        action=audit_actions.API_TOKEN_CREATE,
        obj=api_token,
        changes={"user": [None, owner.pk], "scope": [None, scope], "days": [None, days]},
    )
    return api_token, token


@transaction.atomic
def api_token_revoke(*, actor: User, api_token: ApiToken) -> ApiToken:
    if api_token.user_id != actor.pk and not actor.is_superuser:
        raise ApplicationError(_("You can only revoke your own tokens."), code="not_allowed")
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit(actor=actor, action=audit_actions.API_TOKEN_REVOKE, obj=api_token)
    return api_token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """A changed or reset password ends every token of the person: a leaked token must not outlive it."""
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True))
    if tokens:
        ApiToken.objects.filter(pk__in=tokens).update(revoked_at=now)
        audit(
            actor=user,
            action=audit_actions.API_TOKEN_REVOKE_ALL,
            obj=user,
            changes={"tokens": tokens, "reason": reason},
        )
    return len(tokens)


def api_token_for(token: str) -> ApiToken | None:
    """The valid token behind a bearer token text; records its use at most once a minute."""
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
    return api_token


@transaction.atomic
def person_erase(*, actor: User, user: User) -> User:
    """Erase a person's data (GDPR Art. 17) without breaking the records and the audit log.

    Purely personal rows go (memberships, notifications, registrations, MFA keys, tokens …); records the
    administration must keep (needs, answers, scores, decisions, audit entries) stay and point at the
    account, which becomes a pseudonym that can no longer sign in. The person or a platform admin may do it.
    """
    if actor.pk != user.pk and not actor.is_superuser:
        raise ApplicationError(
            _("Only the person themselves or a platform admin can erase personal data."), code="not_allowed"
        )
    person = User.objects.select_for_update().get(pk=user.pk)
    if person.erased_at is not None:
        raise ApplicationError(_("The data of this person has already been erased."), code="wrong_state")
    admins = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=person.pk)
    if person.is_superuser and not admins.exists():
        raise ApplicationError(
            _("This is the last platform admin. Make another person platform admin before erasing this account."),
            code="not_allowed",
        )
    for hook in privacy.erase_hooks():
        hook(person, actor)
    touched = privacy.erase_rows(person)
    pseudonym = secrets.token_hex(4).upper()
    with translation.override(settings.LANGUAGE_CODE):
        person.name = _("Erased person %(pseudonym)s") % {"pseudonym": pseudonym}
        person.form_of_address = ""
    person.email = f"erased-{pseudonym.lower()}@lotsenhaus.invalid"
    person.set_unusable_password()  # also ends every session: the session hash no longer matches
    person.is_active = person.is_staff = person.is_superuser = False
    person.erased_at = timezone.now()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    audit(
        actor=actor,
        action=audit_actions.PERSON_ERASE,
        obj=person,
        changes={"by": "self" if actor.pk == person.pk else "platform admin", "removed": touched},
    )
    return person
