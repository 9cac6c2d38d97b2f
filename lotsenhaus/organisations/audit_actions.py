"""Audit actions of organisations: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

MEMBERSHIP_ADD = action("membership.add")
MEMBERSHIP_ADD_SSO = action("membership.add_sso")
MEMBERSHIP_CHANGE_ROLE = action("membership.change_role")
MEMBERSHIP_CHANGE_ROLE_SSO = action("membership.change_role_sso")
MEMBERSHIP_CLAIM = action("membership.claim")
MEMBERSHIP_REMOVE = action("membership.remove")
ORGANISATION_CREATE = action("organisation.create")
ORGANISATION_REGISTER_STARTUP = action("organisation.register_startup")
ORGANISATION_UPDATE = action("organisation.update")
