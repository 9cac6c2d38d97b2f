from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.accounts.models import User
from lotsenhaus.core.roles import Role
from lotsenhaus.core.visibility import NOTHING, restrict

from .filters import OrganisationFilterSet
from .models import PUBLIC_BODY_KINDS, ROLE_BY_KIND, Membership, MembershipRole, Organisation, OrganisationKind

_MEMBERSHIPS_ATTR = "_lotsenhaus_memberships"


def of_own_organisations(user: Actor, *paths: str) -> Q:
    """Rows that belong, through any of ``paths`` (e.g. ``"organisation_id"``), to an organisation the person is a
    member of; none for a person without one (for the visibility declarations of the apps' ``rules.py``)."""
    own = list(memberships_of(user)) if user.is_authenticated else []
    if not own:
        return NOTHING
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": own})
    return condition


def memberships_of(user: Actor) -> dict[int, tuple[str, str]]:
    """``{organisation_id: (membership role, organisation kind)}`` for active memberships, one query per request."""
    if not isinstance(user, User):  # an anonymous reader belongs nowhere
        return {}
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if cached is None:
        rows = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).values_list(
            "organisation_id", "role", "organisation__kind"
        )
        cached = {org_id: (role, kind) for org_id, role, kind in rows}
        setattr(user, _MEMBERSHIPS_ATTR, cached)
    return cached


def organisations_of_kind(user: Actor, kind: str) -> list[int]:
    """The ids of the person's organisations of one kind (their startups: what they answer for), from the
    memberships already read for the request."""
    return [pk for pk, (_role, of_kind) in memberships_of(user).items() if of_kind == kind]


def forget_memberships(user: Actor) -> None:
    if hasattr(user, _MEMBERSHIPS_ATTR):
        delattr(user, _MEMBERSHIPS_ATTR)


def roles_for_user(user: Actor) -> set[str]:
    """The role resolver named in settings: roles follow from the kinds of the user's organisations."""
    roles = {ROLE_BY_KIND[kind] for _role, kind in memberships_of(user).values()}
    if user.is_superuser:
        roles.add(Role.PLATFORM_ADMIN.value)
    return roles


def organisation_list(
    *, user: Actor, filters: OrganisationFilterSet | Mapping[str, Any] | None = None
) -> QuerySet[Organisation]:
    """Unit staff see every organisation; everyone else only their own."""
    qs = Organisation.objects.select_related("parent").annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    # By name: this app's rules.py imports this module and declares the visibility.
    qs = restrict(qs, user, "organisations.view_organisation")
    return OrganisationFilterSet.apply(filters, qs)


def organisation_get(*, user: Actor, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    if not user.has_perm("organisations.view_organisation", organisation):
        raise PermissionDenied
    return organisation


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.filter(is_active=True).select_related("user").order_by("user__name", "user__email")


def organisation_children(*, organisation: Organisation) -> QuerySet[Organisation]:
    return organisation.children.order_by("name")


def organisation_parent_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PUBLIC_BODY_KINDS, is_active=True).order_by("name")


def organisation_for_sso(*, claim_value: str, email: str) -> Organisation | None:
    """Match the provider's organisation claim (identifier or name), else the e-mail domain."""
    if claim_value:
        match = Organisation.objects.filter(Q(slug=claim_value) | Q(name=claim_value), is_active=True).first()
        if match:
            return match
    domain = email.rpartition("@")[2].lower()
    if not domain:
        return None
    for organisation in Organisation.objects.filter(email_domains__icontains=domain, is_active=True):
        if domain in organisation.domain_list():
            return organisation
    return None


def unit_staff() -> QuerySet[Any]:
    """Everyone in the venture-client unit, as people (for in-app notifications to coordinators)."""
    members = Membership.objects.filter(is_active=True, organisation__kind=OrganisationKind.VENTURE_CLIENT_UNIT)
    return get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id"))


def platform_admins() -> QuerySet[Any]:
    """Platform administrators as people (for the four-eyes approval of legal rules)."""
    return get_user_model().objects.filter(is_active=True, is_superuser=True)


def organisation_name_taken(name: str) -> bool:
    return Organisation.objects.filter(name__iexact=name.strip()).exists()


def is_member_of(user: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in memberships_of(user)


def is_admin_of(user: Actor, organisation_id: int | None) -> bool:
    entry = memberships_of(user).get(organisation_id) if organisation_id is not None else None
    return entry is not None and entry[0] == MembershipRole.ADMIN


def possible_jurors(*, organisation_id: int) -> QuerySet[Any]:
    """People who may sit on a need's jury: the unit, the expert networks and the need's own authority."""
    memberships = Membership.objects.filter(is_active=True, organisation__is_active=True).filter(
        Q(organisation__kind__in=[OrganisationKind.VENTURE_CLIENT_UNIT, OrganisationKind.EXPERT_NETWORK])
        | Q(organisation_id=organisation_id)
    )
    return (
        get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("name", "email")
    )


def people_of(*, organisation_ids: list[int]) -> QuerySet[Any]:
    """Active members of the given organisations, e.g. as owners of a pilot's milestones."""
    members = Membership.objects.filter(is_active=True, organisation_id__in=organisation_ids)
    return get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id")).order_by("name", "email")
