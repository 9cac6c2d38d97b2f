from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management.base import BaseCommand

from lotsenhaus.core.known_accounts import DEMO_TOTP_SECRET

from ...guard import refuse_in_production


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo coordinator and admin (demo secret only)."

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("totp-demo")
        counters = list(yield_hotp_counters_from_time())
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2])))
