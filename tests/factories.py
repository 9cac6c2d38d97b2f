"""Factories for tests: people in organisations of each kind, so every role is one call away."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from factory.declarations import PostGeneration, PostGenerationMethodCall, Sequence
from factory.django import DjangoModelFactory

from lotsenhaus.accounts.allauth_internals import totp_activate
from lotsenhaus.accounts.models import User
from lotsenhaus.core.roles import Role
from lotsenhaus.organisations.models import Membership, MembershipRole, Organisation, OrganisationKind

PASSWORD = "ein-sicheres-Passwort-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRET234567"

KIND_FOR_ROLE = {
    Role.COORDINATOR: OrganisationKind.VENTURE_CLIENT_UNIT,
    Role.NEED_OWNER: OrganisationKind.FACHBEHOERDE,
    Role.STARTUP_MEMBER: OrganisationKind.STARTUP,
    Role.EXPERT: OrganisationKind.EXPERT_NETWORK,
}


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Organisation {n}")
    slug = Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.FACHBEHOERDE


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"person{n}@example.org")
    name = Sequence(lambda n: f"Person {n}")
    password = PostGenerationMethodCall("set_password", PASSWORD)

    verified = PostGeneration(lambda user, create, extracted, **kwargs: _verify(user, create, extracted))


def _verify(user: User, create: bool, extracted: object) -> None:
    """Save the password set above; a created person has a verified address unless ``verified=False``."""
    user.save()
    if create and extracted is not False:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


def make_person(
    role: Role | None,
    organisation: Organisation | None = None,
    *,
    membership_role: str = MembershipRole.MEMBER,
    totp: bool = True,
    **user_fields: object,
) -> User:
    """A person with the given platform role; privileged roles get a TOTP authenticator unless told not to."""
    user = UserFactory.create(
        is_superuser=role == Role.PLATFORM_ADMIN, is_staff=role == Role.PLATFORM_ADMIN, **user_fields
    )
    if role in KIND_FOR_ROLE:
        organisation = organisation or OrganisationFactory.create(kind=KIND_FOR_ROLE[role])
        Membership.objects.create(user=user, organisation=organisation, role=membership_role)
    if totp and role in (Role.COORDINATOR, Role.PLATFORM_ADMIN):
        totp_activate(user, TOTP_SECRET)
    return user


def totp_code() -> str:
    """The current code of the test secret, never within the last two seconds of its 30-second window (a code
    taken just before the window turns is refused a moment later: a flaky test, not a bug)."""
    import time

    import pyotp

    if time.time() % 30 > 28:
        time.sleep(30 - time.time() % 30 + 0.1)
    return pyotp.TOTP(TOTP_SECRET).now()


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
