"""Startup profiles and their solutions: what the administration can buy and from whom."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.codes import CodeListField
from lotsenhaus.core.models import ChoiceFlags, TimeStampedModel


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Not yet verified")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class FundingStage(models.TextChoices):
    BOOTSTRAPPED = "bootstrapped", _("Self-financed")
    PRE_SEED = "pre_seed", _("Pre-seed")
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B_PLUS = "series_b_plus", _("Series B or later")
    GRANT = "grant", _("Public grants")


class Hosting(models.TextChoices):
    DE = "de", _("Germany")
    EU = "eu", _("European Union")
    ELSEWHERE = "elsewhere", _("Outside the EU")


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT_READY = "pilot_ready", _("Ready for a pilot")
    IN_USE = "in_use", _("In use")


class Deployment(models.TextChoices):
    SAAS = "saas", _("Software as a service")
    ON_PREMISES = "on_premises", _("On-premises")
    OPEN_SOURCE = "open_source", _("Open source")


class CertificationKind(models.TextChoices):
    ISO_27001 = "iso_27001", _("ISO 27001")
    C5_TYPE_1 = "c5_type_1", _("BSI C5 type 1")
    C5_TYPE_2 = "c5_type_2", _("BSI C5 type 2")
    OTHER = "other", _("Other")


class StartupProfile(TimeStampedModel):
    """The public face of a startup organisation; one per organisation of kind startup."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="startup_profile"
    )
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scouted = models.BooleanField(
        _("added by the unit"), default=False, help_text=_("Found by the unit; the startup can claim it later.")
    )
    legal_form = models.CharField(_("legal form"), max_length=50, blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    seat = models.CharField(_("seat"), max_length=100, blank=True)
    team_size = models.PositiveIntegerField(
        _("team size"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    short_description = models.CharField(_("short description"), max_length=350, blank=True)
    long_description = models.TextField(_("description"), max_length=5000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    hosting_locations = CodeListField(_("hosting locations"), max_length=100)
    avv_available = models.BooleanField(_("data processing agreement (AVV) available"), default=False)
    open_source_licence = models.CharField(_("open-source licence"), max_length=100, blank=True)
    product_accessibility = models.TextField(_("accessibility of the product"), max_length=2000, blank=True)
    funding_stage = models.CharField(_("funding stage"), max_length=20, choices=FundingStage.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The organisation's name, copied so that the directory reads its page in name order from one index
    # (verification, name): ordered by the organisation's name, the database walked every unverified startup
    # sorted before the first verified ones (47,000 imported rows: 124 ms per page, every page slower).
    # Kept by ``save`` and by the organisations' post_save (``startups.apps``).
    name = models.CharField(max_length=200, blank=True, editable=False)
    verification_is = ChoiceFlags("verification")  # templates: {% if obj.verification_is.<value> %}

    class Meta:
        verbose_name = _("startup profile")
        verbose_name_plural = _("startup profiles")
        ordering = ["name"]
        indexes = [models.Index(fields=["verification", "name"]), models.Index(fields=["name"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organisation_id is not None:
            self.name = self.organisation.name
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "name"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    def hosting_labels(self) -> list[str]:
        return [str(Hosting(code).label) for code in self.hosting_locations if code in Hosting.values]


class Certification(models.Model):
    profile = models.ForeignKey(StartupProfile, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("certification"), max_length=20, choices=CertificationKind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True, help_text=_("For “Other”: which certificate."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class PublicReference(models.Model):
    """A public-sector reference: the strongest trust signal, shown first."""

    profile = models.ForeignKey(StartupProfile, on_delete=models.CASCADE, related_name="references")
    public_body = models.CharField(_("public body"), max_length=200)
    what = models.CharField(_("what was done"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])

    class Meta:
        ordering = ["-year", "public_body"]
        verbose_name = _("public-sector reference")
        verbose_name_plural = _("public-sector references")

    def __str__(self) -> str:
        return f"{self.public_body} ({self.year})"


class Solution(TimeStampedModel):
    profile = models.ForeignKey(StartupProfile, on_delete=models.CASCADE, related_name="solutions")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    capabilities = models.TextField(_("capabilities"), max_length=3000, blank=True)
    technologies = CodeListField(_("technologies"), max_length=300)
    maturity = models.CharField(_("maturity"), max_length=20, choices=Maturity.choices, default=Maturity.PROTOTYPE)
    deployment = CodeListField(_("deployment"), max_length=100)
    pricing_model = models.CharField(_("pricing model"), max_length=300, blank=True)
    interfaces = models.CharField(_("interfaces and standards"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, not imported yet")
    QUEUED = "queued", _("Waiting for the import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")


class StartupImport(models.Model):
    """An uploaded startup list between preview and import; kept afterwards as the import report.

    The check of its rows and the import run as background tasks, the import in slices (``processed`` valid
    rows so far), so a long list holds neither a web request nor a core for minutes; a task that lost its
    worker continues after the last slice.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.CHECKED)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)
    # Row number -> why it was skipped during the import (it became a duplicate after the preview).
    skipped = models.JSONField(default=dict)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_count = models.PositiveIntegerField(default=0)
    state_is = ChoiceFlags("state")  # templates: {% if obj.state_is.<value> %}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("startup import")
        verbose_name_plural = _("startup imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def valid_rows(self) -> list[dict[str, Any]]:
        if self.state == ImportState.CHECKING:  # rows are still as read from the file
            return []
        return [row for row in self.rows if not row["errors"]]

    @property
    def invalid_rows(self) -> list[dict[str, Any]]:
        if self.state == ImportState.CHECKING:
            return []
        return [row for row in self.rows if row["errors"]]

    @property
    def percent(self) -> int:
        total = len(self.valid_rows)
        return 100 if not total else min(100, round(100 * self.processed / total))


class SolutionImage(models.Model):
    """A screenshot of a solution; checked by content, stored outside the web root."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="screenshots/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=30)
    alt_text = models.CharField(_("image description"), max_length=200)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self) -> str:
        return self.alt_text


class ContactPerson(models.Model):
    profile = models.ForeignKey(StartupProfile, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("For example: sales, technology."))
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name
