"""Procurement value limits as data: every threshold has its period, jurisdiction and source."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import ChoiceFlags, HttpsURLField, TimeStampedModel


class LimitKey(models.TextChoices):
    DIRECT_AWARD = "direct_award", _("Direct award (Direktauftrag) up to")
    NEGOTIATED_AWARD = "negotiated_award", _("Negotiated award and restricted tender without competition up to")
    EX_POST_PUBLICATION = "ex_post_publication", _("Ex-post publication of awards from")
    EXPERIMENTATION_CLAUSE = (
        "experimentation_clause",
        _("Experimentation clause: one company's offer with the venture-client unit up to"),
    )
    EU_SERVICES_SUBCENTRAL = "eu_services_subcentral", _("EU threshold, supplies and services, sub-central authorities")
    EU_SERVICES_CENTRAL = "eu_services_central", _("EU threshold, supplies and services, central government")
    EU_WORKS = "eu_works", _("EU threshold, works")
    EU_SOCIAL = "eu_social", _("EU threshold, social and other specific services")
    UVGO_FROM = "uvgo_from", _("The UVgO applies from (below: the Land's simplified procedure)")
    WORKS_DIRECT = "works_direct", _("Works: direct award up to")
    WORKS_FREE = "works_free", _("Works: negotiated award (freihändige Vergabe) up to")
    WORKS_RESTRICTED = "works_restricted", _("Works: restricted tender without competition up to")


class ValueLimit(TimeStampedModel):
    key = models.CharField(_("limit"), max_length=40, choices=LimitKey.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=20, help_text=_("“EU” for EU thresholds, e.g. “DE-HH” for Hamburg.")
    )
    amount = models.DecimalField(
        _("amount (EUR, net)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("The act and its paragraph, e.g. “HmbVgRL Nr. 5”.")
    )
    reference = models.CharField(
        _("official publication"), max_length=300, blank=True, help_text=_("E.g. “BAnz AT 29.12.2025 B1”.")
    )
    source_url = HttpsURLField(_("link to the source"), blank=True)
    checked_on = models.DateField(_("last checked against the official text"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(
        _("longest contract term (months)"),
        null=True,
        blank=True,
        help_text=_("Only for limits with a term condition."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["jurisdiction", "key", "-valid_from"]
        verbose_name = _("value limit")
        verbose_name_plural = _("value limits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="value_limit_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.get_key_display()} {self.amount}"


class ValueLimitChange(models.Model):
    """A proposed new limit or change of a limit: it takes effect only when a second person approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved and in effect")
        REJECTED = "rejected", _("rejected")

    limit = models.ForeignKey(ValueLimit, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    base_version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(_("proposed values"))
    before = models.JSONField(default=dict)
    reason = models.TextField(_("reason and publication"), max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    state_is = ChoiceFlags("state")  # templates: {% if obj.state_is.<value> %}

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("change of a value limit")
        verbose_name_plural = _("changes of value limits")

    def __str__(self) -> str:
        return f"{self.data.get('jurisdiction')} {self.data.get('key')} ({self.state})"
