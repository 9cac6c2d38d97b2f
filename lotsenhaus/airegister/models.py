"""AI use cases of the administration, their AI Act assessments and the published register versions."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import TimeStampedModel


class UseCaseStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    EVALUATION = "evaluation", _("In evaluation")
    PILOT = "pilot", _("Pilot")
    PRODUCTION = "production", _("In production")
    RETIRED = "retired", _("Retired")


IN_USE = frozenset({UseCaseStatus.PILOT, UseCaseStatus.PRODUCTION})


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class AiType(models.TextChoices):
    TEXT = "text", _("Text and language")
    VISION = "vision", _("Image and video")
    FORECASTING = "forecasting", _("Forecasting")
    OPTIMISATION = "optimisation", _("Optimisation")
    GENERATIVE = "generative", _("Generative AI")
    OTHER = "other", _("Other")


class DataModality(models.TextChoices):
    TEXT = "text", _("Text")
    TABULAR = "tabular", _("Tables and structured data")
    IMAGE = "image", _("Images")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio and speech")
    GEODATA = "geodata", _("Geodata")
    SENSOR = "sensor", _("Sensor data and time series")
    MIXED = "mixed", _("Several kinds")


class UseCase(TimeStampedModel):
    public_id = models.CharField(_("register number"), max_length=20, unique=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(
        "needs.Need",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    solution = models.ForeignKey(
        "startups.Solution",
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Four eyes: whoever last changed the record or its assessment, and whoever submitted it, cannot approve it.
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Four eyes before publication: who approved, and why if it was not someone of the authority itself.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_for_authority = models.BooleanField(default=False)
    approval_note = models.TextField(_("why the unit approves on the authority's behalf"), max_length=1000, blank=True)
    # Experts read a use case only when the unit asked them to assess it (or once it is public).
    invited_experts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=UseCaseStatus.choices, default=UseCaseStatus.IDEA)
    publication = models.CharField(max_length=20, choices=Publication.choices, default=Publication.DRAFT)
    name = models.CharField(_("name"), max_length=200)
    short_description = models.CharField(_("short description"), max_length=350)
    long_description = models.TextField(_("description"), max_length=2500, blank=True)
    purpose = models.TextField(_("purpose and expected benefit"), max_length=2500, blank=True)
    process = models.TextField(_("process and decision it supports"), max_length=2500, blank=True)
    ai_type = models.CharField(_("type of AI"), max_length=20, choices=AiType.choices, default=AiType.OTHER)
    affected_persons = models.TextField(_("who is affected"), max_length=2500, blank=True)
    # The Dutch algorithm register's publication category B ("Impactvolle algoritmes"); category A is the AI Act's
    # high-risk class from the assessment, C everything else.
    impactful = models.BooleanField(
        _("the results feed into decisions about people or companies (legal or similarly significant effects)"),
        default=False,
    )
    data_sources = models.TextField(_("data sources"), max_length=2500, blank=True)
    personal_data = models.TextField(_("personal data"), max_length=2500, blank=True)
    human_oversight = models.TextField(_("human oversight"), max_length=2500, blank=True)
    risks = models.TextField(_("risks and mitigations"), max_length=2500, blank=True)
    legal_basis = models.TextField(_("legal basis"), max_length=2500, blank=True)
    dpia_done = models.BooleanField(_("data protection impact assessment done"), default=False)
    objection_route = models.TextField(_("objection and complaint route"), max_length=2500, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    # What the UK Algorithmic Transparency Recording Standard (ATRS) asks for beyond the fields above; the
    # mapping to its attributes is in standards.py and docs/ai-register.md.
    team = models.CharField(_("responsible team"), max_length=200, blank=True)
    responsible_owner = models.CharField(_("senior responsible owner (name and role)"), max_length=200, blank=True)
    scope = models.TextField(_("scope and limits"), max_length=2500, blank=True)
    provided_information = models.TextField(_("what the system provides"), max_length=2500, blank=True)
    usage_scale = models.TextField(_("how often and how widely it is used"), max_length=2500, blank=True)
    required_training = models.TextField(_("training of the staff who use it"), max_length=2500, blank=True)
    system_architecture = models.TextField(_("how the system is built"), max_length=2500, blank=True)
    maintenance = models.TextField(_("maintenance and review"), max_length=2500, blank=True)
    model_name = models.CharField(_("model name"), max_length=200, blank=True)
    model_version = models.CharField(_("model version"), max_length=100, blank=True)
    model_task = models.TextField(_("task of the model"), max_length=2500, blank=True)
    model_input = models.TextField(_("model input"), max_length=2500, blank=True)
    model_output = models.TextField(_("model output"), max_length=2500, blank=True)
    model_architecture = models.TextField(_("model architecture"), max_length=2500, blank=True)
    model_performance = models.TextField(_("model performance"), max_length=2500, blank=True)
    model_datasets = models.TextField(
        _("datasets used to develop the model, and what for"), max_length=2500, blank=True
    )
    data_modality = models.CharField(_("kind of data"), max_length=20, choices=DataModality.choices, blank=True)
    data_quantities = models.TextField(_("amount of data"), max_length=2500, blank=True)
    data_completeness = models.TextField(
        _("completeness and representativeness of the data"), max_length=2500, blank=True
    )
    data_access_url = models.TextField(
        _("where the data are openly available, or why not"), max_length=2500, blank=True
    )
    data_collection = models.TextField(_("how the data were collected"), max_length=2500, blank=True)
    data_sharing = models.TextField(_("data sharing agreements"), max_length=2500, blank=True)
    data_storage = models.TextField(_("access to and storage of the data"), max_length=2500, blank=True)
    impact_assessment = models.TextField(_("impact assessments"), max_length=2500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("AI use case")
        verbose_name_plural = _("AI use cases")

    def __str__(self) -> str:
        return f"{self.public_id} {self.name}"


class Assessment(models.Model):
    """One run of the AI Act questionnaire, with every answer, its justification and the rule version."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="assessments")
    rules_version = models.CharField(max_length=60)
    answers = models.JSONField(default=dict)
    justifications = models.JSONField(default=dict)
    assessed_on = models.DateField()
    risk_class = models.CharField(max_length=20)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # The invited expert's own view beside the result: whether she agrees, and why.
    expert_agrees = models.BooleanField(_("the expert agrees with the result"), null=True, blank=True)
    expert_view = models.TextField(_("the expert's view"), max_length=3000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("AI Act assessment")
        verbose_name_plural = _("AI Act assessments")

    def __str__(self) -> str:
        return f"{self.use_case.public_id}: {self.risk_class}"


class PublishedVersion(models.Model):
    """Every published state of a use case is kept; the public can read the history."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="published_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()

    class Meta:
        ordering = ["use_case", "-number"]
        constraints = [models.UniqueConstraint(fields=["use_case", "number"], name="published_version_unique")]

    def __str__(self) -> str:
        return f"{self.use_case.public_id} v{self.number}"

    @property
    def record(self) -> dict[str, Any]:
        """The published data with its links built from the site's present address (issue 18)."""
        from lotsenhaus.core.links import relinked

        return relinked(self.data, ("url", "need_url"))


class ReaderMessage(models.Model):
    """A reader reports an error or asks a question about a published record; the owner answers."""

    class Kind(models.TextChoices):
        ERROR = "error", _("Report an error")
        QUESTION = "question", _("Ask a question")

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="reader_messages")
    kind = models.CharField(_("concern"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=3000)
    email = models.EmailField(_("your e-mail address"), blank=True)
    # The language the reader wrote in: the answer e-mail is written in it.
    language = models.CharField(max_length=8, default="de")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:40]


class DutyCheck(models.Model):
    """A deployer duty ticked off with evidence (what was done, where it is documented)."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="duty_checks")
    duty = models.CharField(max_length=60)
    done = models.BooleanField(default=False)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["use_case", "duty"], name="duty_check_unique")]

    def __str__(self) -> str:
        return f"{self.use_case.public_id} {self.duty}"
