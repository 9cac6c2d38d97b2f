"""Audit actions of accounts: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

API_TOKEN_CREATE = action("api_token.create")
API_TOKEN_REVOKE = action("api_token.revoke")
API_TOKEN_REVOKE_ALL = action("api_token.revoke_all")
PERSON_ERASE = action("person.erase")
USER_CREATE = action("user.create")
USER_EMAIL_VERIFIED = action("user.email_verified")
USER_MFA_ADDED = action("user.mfa_added")
USER_MFA_REMOVED = action("user.mfa_removed")
USER_PASSWORD_CHANGED = action("user.password_changed")
USER_SIGN_UP = action("user.sign_up")
USER_UPDATE = action("user.update")
