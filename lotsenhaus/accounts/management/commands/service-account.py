from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lotsenhaus.accounts.models import User
from lotsenhaus.accounts.services import api_token_create
from lotsenhaus.organisations.models import Membership, Organisation
from lotsenhaus.organisations.services import membership_add


class Command(BaseCommand):
    help = "Create a system account for another system (it cannot sign in) and print an API token for it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="e.g. 'Vergabeplattform'")
        parser.add_argument("--organisation", required=True, help="identifier (slug) of its organisation")
        parser.add_argument("--days", type=int, default=365, help="validity, at most LOTSENHAUS_API_TOKEN_MAX_DAYS")
        parser.add_argument("--scope", choices=["read", "write"], default="read")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the identifier {options['organisation']!r}.")
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError("A platform admin must exist first (lotsenhaus createsuperuser).")
        user, _created = User.objects.get_or_create(
            email=options["email"].lower(), defaults={"name": options["name"], "is_service_account": True}
        )
        if not user.is_service_account:
            raise CommandError("This address belongs to a person, not to a system account.")
        user.set_unusable_password()
        user.save()
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            membership_add(actor=admin, organisation=organisation, email=user.email, role="member")
        _api_token, token = api_token_create(
            actor=admin, user=user, name=options["name"], days=options["days"], scope=options["scope"]
        )
        self.stdout.write(token)
