"""Evaluation of a need's short list: criteria, independent scores, conflicts of interest and prices."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import ChoiceFlags, TimeStampedModel


class EvaluationStatus(models.TextChoices):
    SETUP = "setup", _("Criteria being set")
    SCORING = "scoring", _("Scoring")
    CLOSED = "closed", _("Closed")


class PriceMethod(models.TextChoices):
    NONE = "none", _("Without price (performance only)")
    SIMPLE = "simple", _("Simple guideline-value method (Z = L / P)")
    EXTENDED = "extended", _("Extended guideline-value method (tolerance band and decision criterion)")


class DecisionRule(models.TextChoices):
    PERFORMANCE = "performance", _("Highest performance points")
    PRICE = "price", _("Lowest price")
    CRITERION = "criterion", _("Best score in one criterion")


class Evaluation(TimeStampedModel):
    need = models.OneToOneField("needs.Need", on_delete=models.CASCADE, related_name="evaluation")
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.SETUP
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale"), choices=[(5, _("0 to 5 points")), (10, _("0 to 10 points"))], default=5
    )
    price_method = models.CharField(_("price"), max_length=20, choices=PriceMethod.choices, default=PriceMethod.SIMPLE)
    tolerance_percent = models.DecimalField(
        _("tolerance band (%)"),
        max_digits=4,
        decimal_places=1,
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("Offers whose Z lies at most this far below the best Z are equal in value (UfAB: up to 10 %)."),
    )
    decision_rule = models.CharField(
        _("decision criterion in the tolerance band"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.PERFORMANCE,
    )
    decision_criterion = models.ForeignKey(
        "Criterion",
        verbose_name=_("deciding criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Fixed when scoring opens: the candidates that are evaluated (the short list cannot change afterwards).
    candidate_ids = models.JSONField(null=True, blank=True)
    # The matrix as it was when the evaluation closed: the result on file never changes afterwards.
    result = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.need)


class CriterionKind(models.TextChoices):
    EXCLUSION = "exclusion", _("Exclusion criterion (pass/fail)")
    WEIGHTED = "weighted", _("Weighted criterion")


class Criterion(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind.choices)
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    levels = models.JSONField(_("what each level means"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    kind_is = ChoiceFlags("kind")  # templates: {% if obj.kind_is.<value> %}

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Evaluator(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="evaluator_once")]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """Declared before scoring a candidate; a conflict removes the evaluator from that candidate."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="declarations")
    candidate = models.ForeignKey("exploration.Candidate", on_delete=models.CASCADE, related_name="+")
    conflicted = models.BooleanField(_("conflict of interest"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluator", "candidate"], name="declaration_once")]

    def __str__(self) -> str:
        return f"{self.evaluator} / {self.candidate}: {self.conflicted}"


class Score(models.Model):
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey("exploration.Candidate", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluator", "candidate", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points if self.points is not None else self.passed}"


class Price(models.Model):
    """The net price of a short-listed candidate's offer; confidential to evaluators and the unit."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="prices")
    candidate = models.ForeignKey("exploration.Candidate", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(
        _("price (EUR, net)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(1)]
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "candidate"], name="price_once")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.amount}"
