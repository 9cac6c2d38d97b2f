from collections.abc import Callable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotsenhaus.accounts import services as account_services
from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit, audit_many, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.mail import send_to_one
from lotsenhaus.core.roles import forget_roles
from lotsenhaus.core.validation import assign, clean_or_refuse, require_permission

from . import audit_actions, signals
from .models import Membership, MembershipRole, Organisation, OrganisationKind
from .selectors import forget_memberships

ORGANISATION_FIELDS = ["name", "short_name", "kind", "parent", "website", "email_domains", "is_active"]


def _slug_base(name: str) -> str:
    return slugify(name)[:70] or "organisation"


def _free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken first."""
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    return _free_slug(_slug_base(name), lambda slug: others.filter(slug=slug).exists())


def _validate(organisation: Organisation, *, database: bool = True) -> None:
    if organisation.kind not in OrganisationKind.values:
        raise ApplicationError(_("Unknown kind of organisation."), field="kind", code="invalid_value")
    clean_or_refuse(organisation, exclude=["slug"], database=database)


def organisations_check_many(organisations: list[Organisation]) -> dict[int, str]:
    """Why each of these new organisations would be refused by ``organisation_create`` (by position; none: all
    fine), with one query for the names already taken instead of one per organisation and its constraints."""
    problems: dict[int, str] = {}
    for n, organisation in enumerate(organisations):
        organisation.name = organisation.name.strip()
        try:
            _validate(organisation, database=False)
        except ApplicationError as error:
            problems[n] = error.message
    names = [o.name for n, o in enumerate(organisations) if n not in problems]
    taken = set(Organisation.objects.filter(name__in=names).values_list("name", flat=True))
    seen: set[str] = set()
    for n, organisation in enumerate(organisations):
        if n not in problems and (organisation.name in taken or organisation.name in seen):
            problems[n] = _("An organisation with this name exists already.")
        seen.add(organisation.name)
    return problems


def organisations_create_many(*, actor: User, organisations: list[Organisation]) -> list[Organisation]:
    """Write many new organisations, each passed by ``organisations_check_many``, at once (a list import): unique
    slugs from one query per call, one audit entry each, in bulk. Call it inside the caller's transaction."""
    require_permission(actor, "organisations.add_organisation")
    bases = [_slug_base(organisation.name) for organisation in organisations]
    prefixes = Q(slug__in=bases)
    for base in set(bases):
        prefixes |= Q(slug__startswith=f"{base}-")
    taken = set(Organisation.objects.filter(prefixes).values_list("slug", flat=True)) if bases else set()
    for organisation, base in zip(organisations, bases, strict=True):
        organisation.slug = _free_slug(base, taken.__contains__)
        taken.add(organisation.slug)
    created = Organisation.objects.bulk_create(organisations)
    audit_many(
        actor=actor,
        action=audit_actions.ORGANISATION_CREATE,
        changes={o.pk: diff({}, snapshot(o, ORGANISATION_FIELDS)) for o in created},
        objs=created,
    )
    return created


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    name: str,
    kind: str,
    short_name: str = "",
    parent: Organisation | None = None,
    website: str = "",
    email_domains: str = "",
) -> Organisation:
    require_permission(actor, "organisations.add_organisation")
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        short_name=short_name.strip(),
        parent=parent,
        website=website,
        email_domains=email_domains.strip().lower(),
    )
    organisation.slug = _unique_slug(organisation.name)
    _validate(organisation)
    organisation.save()
    audit(
        actor=actor,
        action=audit_actions.ORGANISATION_CREATE,
        obj=organisation,
        changes=diff({}, snapshot(organisation, ORGANISATION_FIELDS)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    require_permission(actor, "organisations.change_organisation", organisation)
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    if "kind" in fields and fields["kind"] != organisation.kind and organisation.memberships.exists():
        raise ApplicationError(
            _("The kind cannot be changed while the organisation has members, because it decides their roles."),
            field="kind",
            code="not_allowed",
        )
    before = snapshot(organisation, ORGANISATION_FIELDS)
    if "email_domains" in fields:
        fields["email_domains"] = (fields["email_domains"] or "").strip().lower()
        if fields["email_domains"] != organisation.email_domains and not actor.has_perm(
            "organisations.set_email_domains"
        ):
            # The domains decide who single sign-on puts into the organisation: the unit alone sets them.
            raise ApplicationError(
                _("Only the venture-client unit can change the e-mail domains."),
                field="email_domains",
                code="not_allowed",
            )
    assign(organisation, fields)
    _validate(organisation)
    organisation.save()
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    audit(actor=actor, action=audit_actions.ORGANISATION_UPDATE, obj=organisation, changes=changes)
    identity = sorted(set(changes) & {"name", "website"})
    if identity and not actor.has_perm("organisations.add_organisation"):
        signals.identity_changed.send(sender=Organisation, organisation=organisation, actor=actor, changed=identity)
    return organisation


@transaction.atomic
def membership_send_invitation(*, membership_id: int) -> bool:
    """Send the invitation once; a second run (task retried after a crash) sends nothing."""
    membership = (
        Membership.objects.select_for_update().select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or membership.invitation_sent_at is not None:
        return False
    user, organisation = membership.user, membership.organisation
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    context = {"user": user, "organisation": organisation, "url": settings.LOTSENHAUS_BASE_URL + path}
    send_to_one(
        to=user.email,
        subject=_("[Lotsenhaus] You have been invited to %(organisation)s") % {"organisation": organisation.name},
        body=render_to_string("organisations/email/invitation.txt", context),
    )
    membership.invitation_sent_at = timezone.now()
    membership.save(update_fields=["invitation_sent_at"])
    return True


@transaction.atomic
def membership_add(
    *, actor: User, organisation: Organisation, email: str, name: str = "", role: str = MembershipRole.MEMBER
) -> Membership:
    """Add a person to an organisation; someone new gets an account and an invitation to set a password."""
    require_permission(actor, "organisations.manage_members", organisation)
    if role not in MembershipRole.values:
        raise ApplicationError(_("Unknown role."), field="role", code="invalid_value")
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = False
    if user is None:
        if not name.strip():
            raise ApplicationError(_("Please enter the name of the new person."), field="name", code="required")
        user = account_services.user_create(actor=actor, email=email, name=name)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        invited = True
    elif Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ApplicationError(
            _("This person is already a member of the organisation."), field="email", code="duplicate"
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit(
        actor=actor,
        action=audit_actions.MEMBERSHIP_ADD,
        obj=membership,
        changes={"user": [None, user.pk], "organisation": [None, organisation.pk], "role": [None, role]},
    )
    if invited:
        from .tasks import send_invitation

        transaction.on_commit(lambda: send_invitation.enqueue(membership_id=membership.pk))
    forget_memberships(user)
    forget_roles(user)
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    require_permission(actor, "organisations.manage_members", membership.organisation)
    if role not in MembershipRole.values:
        raise ApplicationError(_("Unknown role."), field="role", code="invalid_value")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit(actor=actor, action=audit_actions.MEMBERSHIP_CHANGE_ROLE, obj=membership, changes={"role": [before, role]})
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    require_permission(actor, "organisations.manage_members", membership.organisation)
    if membership.user_id == getattr(actor, "pk", None) and membership.role == MembershipRole.ADMIN:
        others = membership.organisation.memberships.filter(role=MembershipRole.ADMIN, is_active=True).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise ApplicationError(
                _("You are the last administrator of this organisation and cannot leave it."), code="not_allowed"
            )
    audit(
        actor=actor,
        action=audit_actions.MEMBERSHIP_REMOVE,
        obj=membership,
        changes={"user": [membership.user_id, None], "role": [membership.role, None]},
    )
    membership.delete()


@transaction.atomic
def membership_assign_from_sso(*, user: User, organisation: Organisation | None, role: str) -> Membership | None:
    """Keep an SSO user's membership in step with the identity provider's claims at each sign-in."""
    if organisation is None:
        return None
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if created:
        audit(
            actor=user,
            action=audit_actions.MEMBERSHIP_ADD_SSO,
            obj=membership,
            changes={"organisation": [None, organisation.pk], "role": [None, role]},
        )
    elif membership.role != role or not membership.is_active:
        audit(
            actor=user,
            action=audit_actions.MEMBERSHIP_CHANGE_ROLE_SSO,
            obj=membership,
            changes={"role": [membership.role, role]},
        )
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active", "updated_at"])
    forget_memberships(user)
    forget_roles(user)
    return membership


@transaction.atomic
def organisation_register_startup(*, actor: User, name: str, website: str = "") -> Organisation:
    """A person registers their own startup and becomes its first administrator (no staff permission needed)."""
    if Organisation.objects.filter(name__iexact=name.strip()).exists():
        raise ApplicationError(
            _("An organisation with this name already exists. If it is yours, ask the venture-client unit."),
            field="startup_name",
            code="duplicate",
        )
    organisation = Organisation(name=name.strip(), kind=OrganisationKind.STARTUP, website=website)
    organisation.slug = _unique_slug(organisation.name)
    _validate(organisation)
    organisation.save()
    membership = Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    audit(
        actor=actor,
        action=audit_actions.ORGANISATION_REGISTER_STARTUP,
        obj=organisation,
        changes={"name": [None, organisation.name]},
    )
    audit(
        actor=actor, action=audit_actions.MEMBERSHIP_ADD, obj=membership, changes={"role": [None, MembershipRole.ADMIN]}
    )
    forget_memberships(actor)
    forget_roles(actor)
    return organisation


@transaction.atomic
def membership_claim(*, actor: User, organisation: Organisation) -> Membership:
    """Join an organisation that has no members yet, e.g. a startup profile the unit created (callers check why)."""
    if organisation.memberships.exists():
        raise ApplicationError(
            _("This organisation already has members. Please ask them to add you."), code="not_allowed"
        )
    membership = Membership.objects.create(user=actor, organisation=organisation, role=MembershipRole.ADMIN)
    audit(
        actor=actor,
        action=audit_actions.MEMBERSHIP_CLAIM,
        obj=membership,
        changes={"role": [None, MembershipRole.ADMIN]},
    )
    forget_memberships(actor)
    forget_roles(actor)
    return membership
