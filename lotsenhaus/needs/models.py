"""Needs (Bedarfe): what an authority needs, in plain language, and where it stands."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.codes import CodeListField
from lotsenhaus.core.models import ChoiceFlags, TimeStampedModel
from lotsenhaus.core.vocabulary import Technology


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    EXPLORATION = "exploration", _("Market exploration")
    EVALUATION = "evaluation", _("Evaluation")
    PILOT = "pilot", _("Pilot")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States the public may see; drafts and needs under review stay with the owner and the unit.
PUBLIC_STATUSES = frozenset({Status.PUBLISHED, Status.EXPLORATION, Status.EVALUATION, Status.PILOT, Status.CLOSED})


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class ProtectionClass(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class AffectedGroup(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses")
    EMPLOYEES = "employees", _("Employees of the administration")
    SCHOOLS = "schools", _("Schools and pupils")
    ASSOCIATIONS = "associations", _("Associations and initiatives")
    OTHER = "other", _("Others")


class PolicyField(models.TextChoices):
    BUILDING = "building", _("Building and housing")
    MOBILITY = "mobility", _("Mobility and transport")
    ENVIRONMENT = "environment", _("Environment, climate and energy")
    EDUCATION = "education", _("Education and schools")
    SOCIAL = "social", _("Social affairs and health")
    SECURITY = "security", _("Security and order")
    FINANCE = "finance", _("Finance and taxes")
    ECONOMY = "economy", _("Economy and labour")
    CULTURE = "culture", _("Culture and sport")
    ADMINISTRATION = "administration", _("Internal administration and IT")


class Need(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    # Step 1: the problem
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem in plain language"), max_length=5000, blank=True)
    affected_groups = CodeListField(_("who is affected"), max_length=300)
    affected_count = models.PositiveIntegerField(_("how many people are affected"), null=True, blank=True)
    # Step 2: today and the goal
    current_practice = models.TextField(_("how it is done today"), max_length=5000, blank=True)
    desired_outcome = models.TextField(_("desired outcome"), max_length=5000, blank=True)
    success_measure = models.TextField(_("how success would be measured"), max_length=3000, blank=True)
    # Step 3: constraints
    data_involved = models.TextField(_("data involved"), max_length=3000, blank=True)
    protection_class = models.CharField(
        _("protection class of the data"), max_length=20, choices=ProtectionClass.choices, blank=True
    )
    hosting = models.TextField(_("hosting and data residency"), max_length=2000, blank=True)
    accessibility = models.TextField(_("accessibility requirements"), max_length=2000, blank=True)
    interfaces = models.TextField(_("interfaces to existing systems"), max_length=2000, blank=True)
    # Step 4: frame
    budget_min = models.DecimalField(
        _("budget from (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_max = models.DecimalField(
        _("budget up to (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    policy_field = models.CharField(_("policy field"), max_length=30, choices=PolicyField.choices, blank=True)
    technologies = CodeListField(_("technology hints"), max_length=300)
    answer_deadline = models.DateField(_("answer deadline"), null=True, blank=True)
    # Step 5: contact and publication
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    hide_organisation = models.BooleanField(_("publish without the authority's name"), default=False)
    internal_notes = models.TextField(_("internal notes"), max_length=5000, blank=True)
    # The unit's coordinator who carries the need through the pipeline (issue 17, pipeline overview).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call = models.ForeignKey(
        "Call", verbose_name=_("bundled call"), null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The board lists newest first across all public states: read in index order, stop after a page.
            models.Index(fields=["-published_at", "-id"], name="need_board_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="need_budget_range",
            ),
            models.CheckConstraint(condition=models.Q(status__in=[s.value for s in Status]), name="need_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def technology_labels(self) -> list[str]:
        return [str(Technology(code).label) for code in self.technologies if code in Technology.values]

    def affected_group_labels(self) -> list[str]:
        return [str(AffectedGroup(code).label) for code in self.affected_groups if code in AffectedGroup.values]


class ReviewComment(models.Model):
    """Comments the unit sends back to the owner during review."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return self.text[:50]


class Transition(models.Model):
    """Every change of state, kept for the history, the notifications and the time spent in each state."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class AnswerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Answer(TimeStampedModel):
    """A startup's expression of interest in a published need (Interessenbekundung). Confidential."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="answers")
    startup = models.ForeignKey("startups.StartupProfile", on_delete=models.CASCADE, related_name="answers")
    solution = models.ForeignKey(
        "startups.Solution",
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.SUBMITTED)
    approach = models.TextField(_("approach"), max_length=5000)
    references = models.TextField(_("references"), max_length=3000, blank=True)
    cost_estimate = models.DecimalField(
        _("rough cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    duration_weeks = models.PositiveSmallIntegerField(_("rough duration (weeks)"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["need", "startup"], name="answer_one_per_startup")]

    def __str__(self) -> str:
        return f"{self.startup} → {self.need}"


class AnswerAttachment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    # Stored under MEDIA_ROOT (var/media), outside the web root; served only by a view that checks permissions.
    file = models.FileField(upload_to="answers/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Call(TimeStampedModel):
    """A bundled call ("RFP bus"): several needs with a common theme, published together with one deadline.

    Startups answer each need within it; evaluation and reporting stay per need.
    """

    title = models.CharField(_("title"), max_length=200)
    theme = models.TextField(_("common theme"), max_length=3000)
    deadline = models.DateField(_("answer deadline"))
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("bundled call")
        verbose_name_plural = _("bundled calls")

    def __str__(self) -> str:
        return self.title


class PipelineView(models.Model):
    """A coordinator's saved filter of the pipeline overview, e.g. "my needs in market exploration"."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="pipeline_view_name_once")]

    def __str__(self) -> str:
        return self.name
