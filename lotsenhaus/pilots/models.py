"""Pilots: the designed cooperation (canvas, procurement path, checklists), its running and its decision."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import ChoiceFlags, TimeStampedModel


class PilotStatus(models.TextChoices):
    DESIGN = "design", _("Being designed")
    RUNNING = "running", _("Running")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopt (procure regularly)")
    SCALE = "scale", _("Scale (roll out to more authorities)")
    EXTEND = "extend", _("Extend")
    END = "end", _("End")


class DpiaNeed(models.TextChoices):
    UNCLEAR = "", _("Not yet assessed")
    YES = "yes", _("Yes, a DPIA is needed")
    NO = "no", _("No DPIA needed")


class Pilot(TimeStampedModel):
    need = models.OneToOneField("needs.Need", on_delete=models.PROTECT, related_name="pilot")
    candidate = models.ForeignKey("exploration.Candidate", on_delete=models.PROTECT, related_name="+")
    startup = models.ForeignKey("startups.StartupProfile", on_delete=models.PROTECT, related_name="pilots")
    status = models.CharField(_("status"), max_length=20, choices=PilotStatus.choices, default=PilotStatus.DESIGN)
    version = models.PositiveIntegerField(default=1)

    # Canvas
    goal = models.TextField(_("goal"), max_length=3000, blank=True)
    hypotheses = models.TextField(_("hypotheses"), max_length=3000, blank=True)
    scope = models.TextField(_("scope"), max_length=3000, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    participating_units = models.TextField(_("participating units"), max_length=2000, blank=True)
    data_involved = models.TextField(_("data involved"), max_length=2000, blank=True)
    budget = models.DecimalField(
        _("budget (EUR, net)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    purchase_order = models.CharField(_("purchase order (reference)"), max_length=100, blank=True)
    startup_duties = models.TextField(_("the startup's duties"), max_length=3000, blank=True)
    authority_duties = models.TextField(_("the authority's duties"), max_length=3000, blank=True)
    exit_criteria = models.TextField(_("exit criteria"), max_length=3000, blank=True)
    follow_up = models.TextField(_("what a follow-up order would be"), max_length=3000, blank=True)

    # Procurement path
    estimated_value = models.DecimalField(
        _("estimated net contract value (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    contracting_body = models.CharField(_("contracting body"), max_length=20, default="subcentral")
    jurisdiction = models.CharField(_("contracting authority"), max_length=20, blank=True)
    subject_matter = models.CharField(_("subject matter"), max_length=20, blank=True)
    follow_up_value = models.DecimalField(
        _("planned follow-up orders (EUR, net)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Counts towards the estimated value (§ 3 VgV)."),
    )
    options_value = models.DecimalField(
        _("options and extensions (EUR, net)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    procedure_start = models.DateField(_("start of the procedure"), null=True, blank=True)
    market_available = models.BooleanField(_("solution available on the market"), null=True, blank=True)
    rd_exclusive_results = models.BooleanField(
        _("R&D results belong exclusively to the authority"), null=True, blank=True
    )
    rd_paid_in_full = models.BooleanField(_("the authority pays the R&D in full"), null=True, blank=True)
    work_nature = models.CharField(_("nature of the work"), max_length=20, default="services")
    innovative = models.BooleanField(_("conceptual or innovative solution"), default=False)
    venture_client = models.BooleanField(_("the venture-client unit is involved"), default=False)
    it_kind = models.CharField(_("kind of IT contract"), max_length=30, blank=True)
    advice = models.JSONField(_("procurement proposal"), default=dict, blank=True)
    advice_at = models.DateTimeField(null=True, blank=True)
    procedure_reason = models.TextField(_("why this procedure"), max_length=3000, blank=True)

    # Checklists before the start
    avv_done = models.BooleanField(_("data processing agreement (AVV) concluded or not needed"), default=False)
    dpia = models.CharField(_("data protection impact assessment"), max_length=5, choices=DpiaNeed.choices, blank=True)
    dpia_done = models.BooleanField(_("DPIA done"), default=False)
    hosting_checked = models.BooleanField(_("hosting checked"), default=False)
    certifications_checked = models.BooleanField(_("certifications checked (e.g. BSI C5, ISO 27001)"), default=False)
    accessibility_checked = models.BooleanField(_("accessibility checked (BITV 2.0)"), default=False)
    uses_ai = models.BooleanField(_("the solution uses AI"), default=False)
    ai_use_case = models.ForeignKey(
        "airegister.UseCase",
        verbose_name=_("AI register entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ai_note = models.TextField(_("AI Act assessment: note"), max_length=3000, blank=True)

    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), max_length=10000, blank=True)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="pilot_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.need} – {self.startup}"


class PilotDecision(models.Model):
    """A decision at the end of a pilot, with its reasons and the KPI evidence as it stood."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reasons = models.TextField(_("reasons"), max_length=5000)
    scale_to = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("roll out to"), blank=True, related_name="+"
    )
    new_end_date = models.DateField(_("new end"), null=True, blank=True)
    evidence = models.JSONField(_("KPI evidence"), default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("pilot decision")
        verbose_name_plural = _("pilot decisions")

    def __str__(self) -> str:
        return self.get_decision_display()


class Kpi(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.target >= self.baseline


class Measurement(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported = models.BooleanField(_("imported from CSV"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [models.UniqueConstraint(fields=["kpi", "measured_on"], name="measurement_once_a_day")]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.value}"


class Milestone(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ReportSide(models.TextChoices):
    STARTUP = "startup", _("Startup")
    AUTHORITY = "authority", _("Authority")
    UNIT = "unit", _("Venture-client unit")


class StatusReport(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="reports")
    side = models.CharField(_("from"), max_length=20, choices=ReportSide.choices)
    text = models.TextField(_("status"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return self.text[:50]


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    ISSUE = "issue", _("Issue")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskItem(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(_("kind"), max_length=10, choices=RiskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    mitigation = models.TextField(_("measure"), max_length=2000, blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resolved", "-created_at"]
        verbose_name = _("risk or issue")
        verbose_name_plural = _("risks and issues")

    def __str__(self) -> str:
        return self.title
