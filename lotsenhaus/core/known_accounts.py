"""The demo world's published credentials, and the refusal to accept them in production (issue 20).

``lotsenhaus demo`` prints its password and TOTP secret for everyone to read; the README repeats them. A public
deployment must therefore never let anybody in with them, even if an operator once ran the demo on the
production database or copied a demo account over. The constants live here, not in ``demo``, because the sign-in
(``accounts``) and the deploy checks refuse them and ``core`` imports no domain app.
"""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "lotsenhaus-demo"
# Fixed TOTP secret of the demo coordinator and admin, so a demo can be walked through (base32).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPLOTSENHAUSDEMO23"
DEMO_EMAILS = frozenset(
    {
        "koordination@vce.hamburg.example",
        "bedarf@bsw.hamburg.de",
        "bedarf@altona.hamburg.de",
        "startup@aktenblick.example",
        "expertin@ki-zentrum.example",
        "admin@lotsenhaus.example",
    }
)


def production() -> bool:
    return bool(settings.LOTSENHAUS_PRODUCTION)


def refused(*, email: str | None = None, password: str | None = None) -> bool:
    """In production, a demo account's address or the demo password signs nobody in."""
    if not production():
        return False
    if email and email.strip().lower() in DEMO_EMAILS:
        return True
    return password == DEMO_PASSWORD


class PublishedPasswordValidator:
    """In production nobody may choose the demo's published password as their own."""

    def validate(self, password: str, user: object = None) -> None:
        if refused(password=password):
            raise ValidationError(
                _("This password is published with the demo installation. Choose another one."),
                code="password_published",
            )

    def get_help_text(self) -> str:
        return ""


@register(Tags.security, deploy=True)
def check_no_demo_accounts(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """``check --deploy`` under production settings names every demo account in the database (E001)."""
    if not production():
        return []
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    try:
        emails = sorted(get_user_model().objects.filter(email__in=DEMO_EMAILS).values_list("email", flat=True))
        totp = [
            a.user_id
            for a in Authenticator.objects.filter(type=Authenticator.Type.TOTP)
            if (a.data or {}).get("secret") == DEMO_TOTP_SECRET
        ]
    except DatabaseError:  # not migrated yet: nothing to find
        return []
    if not emails and not totp:
        return []
    return [
        Error(
            f"The database holds accounts of the demo world ({', '.join(emails) or 'none by address'}; "
            f"{len(totp)} with the demo's two-factor secret). Their credentials are published.",
            hint="Delete or deactivate these accounts; production refuses their sign-in in any case.",
            id="lotsenhaus.E001",
        )
    ]
