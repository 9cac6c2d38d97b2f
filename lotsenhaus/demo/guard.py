"""Refusals of the demo commands under production settings (issue 20)."""

from django.core.management.base import CommandError

from lotsenhaus.core.known_accounts import production


def refuse_in_production(command: str) -> None:
    if production():
        raise CommandError(
            f"'{command}' creates accounts with a published password and two-factor secret and is refused under "
            "production settings. Use it on a separate trial installation (lotsenhaus.settings.base)."
        )
