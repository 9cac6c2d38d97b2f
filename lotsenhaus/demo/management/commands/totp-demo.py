from typing import Any

from django.core.management.base import BaseCommand

from lotsenhaus.accounts.allauth_internals import totp_current_code
from lotsenhaus.core.known_accounts import DEMO_TOTP_SECRET

from ...guard import refuse_in_production


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo coordinator and admin (demo secret only)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("totp-demo")
        self.stdout.write(totp_current_code(DEMO_TOTP_SECRET))
