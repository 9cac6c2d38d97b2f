"""Procurement value limits as data: every threshold has its period, jurisdiction and source."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import TimeStampedModel


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
    source = models.CharField(_("source"), max_length=500)
    source_url = models.URLField(_("link to the source"), blank=True)
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
