"""Audit entries for what allauth changes on its own (sign-up, e-mail verification, MFA, passwords)."""

from typing import Any

from allauth.account.signals import (
    email_confirmed,
    password_changed,
    password_reset,
    password_set,
    user_signed_up,
)
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver

from . import audit_actions
from .models import User
from .services import api_tokens_revoke_all, user_record_auth_event


@receiver(user_signed_up)
def _signed_up(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    via = "sso" if kwargs.get("sociallogin") else "password"
    user_record_auth_event(user=user, action=audit_actions.USER_SIGN_UP, detail={"via": [None, via]})


@receiver(email_confirmed)
def _email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user_record_auth_event(user=email_address.user, action=audit_actions.USER_EMAIL_VERIFIED)


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def _password(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    user_record_auth_event(user=user, action=audit_actions.USER_PASSWORD_CHANGED)
    api_tokens_revoke_all(user=user, reason="password")


@receiver(authenticator_added)
def _mfa_added(sender: Any, request: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
    user_record_auth_event(user=user, action=audit_actions.USER_MFA_ADDED, detail={"type": [None, authenticator.type]})


@receiver(authenticator_removed)
def _mfa_removed(sender: Any, request: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
    user_record_auth_event(
        user=user, action=audit_actions.USER_MFA_REMOVED, detail={"type": [authenticator.type, None]}
    )
