"""Start the stand-in provider: ``python -m tests.oidc_provider.run PORT REDIRECT_URI``."""

import os
import sys


def main() -> None:
    port, redirect_uri = sys.argv[1], sys.argv[2]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, first, last, email in [
        ("lea", "Lea", "Lange", "lea.lange@bsw.hamburg.de"),
        ("tom", "Tom", "Tiedemann", "tom.tiedemann@altona.hamburg.de"),
        ("uwe", "Uwe", "Unbekannt", "uwe@nirgendwo.example"),
    ]:
        User.objects.create_user(username, email, "provider-password", first_name=first, last_name=last)
    Application.objects.create(
        name="Lotsenhaus",
        client_id="lotsenhaus",
        client_secret="lotsenhaus-secret",
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, verbosity=0)


if __name__ == "__main__":
    main()
