"""Reads about people."""

from typing import Any

from django.conf import settings
from django.utils import timezone

from lotsenhaus.core import privacy
from lotsenhaus.core.models import AuditEntry

from .models import User

EXPORT_FORMAT = "lotsenhaus-personal-data/1"


def personal_data(user: User) -> dict[str, Any]:
    """All data the platform holds about one person (GDPR Art. 15 and 20), as plain JSON-ready values.

    The account itself, every record that refers to the person (see ``core.privacy``) and the audit
    entries about their account. Secrets (password hash, token digests, TOTP keys) are left out.
    """
    about = AuditEntry.objects.filter(object_type=User._meta.label_lower, object_id=str(user.pk)).order_by("at", "pk")
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "platform": settings.LOTSENHAUS_BASE_URL,
        "person": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "is_platform_admin": user.is_superuser,
            "is_service_account": user.is_service_account,
            "erased_at": user.erased_at,
        },
        "records": privacy.collect(user),
        "audit_entries_about_the_account": [
            {"at": e.at, "action": e.action, "actor_id": e.actor_id, "changes": e.changes} for e in about
        ],
    }
