from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import HttpsURLField, TimeStampedModel
from lotsenhaus.core.roles import Role


class OrganisationKind(models.TextChoices):
    FACHBEHOERDE = "fachbehoerde", _("Specialist authority (Fachbehörde)")
    BEZIRKSAMT = "bezirksamt", _("District office (Bezirksamt)")
    LANDESBETRIEB = "landesbetrieb", _("State enterprise (Landesbetrieb)")
    OTHER_PUBLIC = "other_public", _("Senate Chancellery or other public body")
    STARTUP = "startup", _("Startup")
    EXPERT_NETWORK = "expert_network", _("Expert network (AI centre, university)")
    VENTURE_CLIENT_UNIT = "venture_client_unit", _("Venture-client unit")


PUBLIC_BODY_KINDS = frozenset(
    {
        OrganisationKind.FACHBEHOERDE,
        OrganisationKind.BEZIRKSAMT,
        OrganisationKind.LANDESBETRIEB,
        OrganisationKind.OTHER_PUBLIC,
    }
)

# Which platform role a membership in an organisation of this kind confers.
ROLE_BY_KIND: dict[str, str] = {
    **{kind.value: Role.NEED_OWNER.value for kind in PUBLIC_BODY_KINDS},
    OrganisationKind.STARTUP.value: Role.STARTUP_MEMBER.value,
    OrganisationKind.EXPERT_NETWORK.value: Role.EXPERT.value,
    OrganisationKind.VENTURE_CLIENT_UNIT.value: Role.COORDINATOR.value,
}


class Organisation(TimeStampedModel):
    """An authority, startup, expert network or the venture-client unit. Public bodies nest."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = HttpsURLField(_("website"), blank=True)
    email_domains = models.CharField(
        _("e-mail domains"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. bsw.hamburg.de. Used to assign single sign-on users."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in OrganisationKind]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public_body(self) -> bool:
        return self.kind in PUBLIC_BODY_KINDS

    def domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if not self.is_public_body or self.parent is None or not self.parent.is_public_body:
            raise ValidationError({"parent": _("Only public bodies can be nested inside public bodies.")})
        node: Organisation | None = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be nested inside itself.")})
            node = node.parent


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Administrator")


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    is_active = models.BooleanField(_("active"), default=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in MembershipRole]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    def audit_repr(self) -> str:
        return f"person #{self.user_id} @ {self.organisation}"
