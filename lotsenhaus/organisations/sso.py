"""Single sign-on: map an OpenID Connect provider's claims to an organisation and a membership role."""

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from .models import MembershipRole
from .selectors import organisation_for_sso
from .services import membership_assign_from_sso


def claims_of(extra_data: dict[str, Any]) -> dict[str, Any]:
    """ID token claims overlaid with userinfo claims (userinfo is fresher)."""
    merged: dict[str, Any] = {}
    for part in ("id_token", "userinfo"):
        value = extra_data.get(part)
        if isinstance(value, dict):
            merged.update(value)
    return merged or dict(extra_data)


def role_from_claims(claims: dict[str, Any]) -> str:
    """The highest membership role that a configured claim value grants; unknown values grant nothing."""
    config: dict[str, Any] = settings.LOTSENHAUS_OIDC
    values = claims.get(config["roles_claim"]) or []
    if isinstance(values, str):
        values = [values]
    granted = {config["role_map"].get(str(v)) for v in values}
    return MembershipRole.ADMIN if MembershipRole.ADMIN in granted else MembershipRole.MEMBER


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: Any, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        claims = claims_of(sociallogin.account.extra_data)
        user.name = (
            claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))
        )[:150]
        return user

    def _sync(self, sociallogin: Any) -> None:
        claims = claims_of(sociallogin.account.extra_data)
        config: dict[str, Any] = settings.LOTSENHAUS_OIDC
        organisation = organisation_for_sso(
            claim_value=str(claims.get(config["organisation_claim"]) or ""),
            email=str(claims.get("email") or sociallogin.user.email or ""),
        )
        membership_assign_from_sso(user=sociallogin.user, organisation=organisation, role=role_from_claims(claims))

    def save_user(self, request: Any, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        self._sync(sociallogin)
        return user

    def pre_social_login(self, request: Any, sociallogin: Any) -> None:
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            self._sync(sociallogin)
