from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def build_absolute_uri(self, request: Any, location: str, protocol: str | None = None) -> str:
        """Links in e-mails sent without a request (background tasks) use the configured base URL."""
        if request is None:
            return settings.LOTSENHAUS_BASE_URL + location
        return super().build_absolute_uri(request, location, protocol)
