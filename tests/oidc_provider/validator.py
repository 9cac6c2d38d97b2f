from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# The claims each provider user carries, keyed by username (as Keycloak would map them).
CLAIMS = {
    "lea": {"organisation": "bsw", "roles": ["lotsenhaus-admin", "other-app"]},
    "tom": {"organisation": "", "roles": []},
    "uwe": {"organisation": "unbekannt", "roles": ["forged-superuser"]},
}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # release every claim below, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        extra = CLAIMS.get(user.username, {})
        return {
            "email": user.email,
            "email_verified": True,
            "name": f"{user.first_name} {user.last_name}",
            "given_name": user.first_name,
            "family_name": user.last_name,
            **extra,
        }
