"""The two-year advisory track: an admitted startup, its advisor, a plan of milestones and the sessions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import TimeStampedModel


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In the programme")
    COMPLETED = "completed", _("Completed")
    LEFT = "left", _("Left early")


class Enrolment(TimeStampedModel):
    startup = models.OneToOneField(
        "startups.StartupProfile", verbose_name=_("startup"), on_delete=models.PROTECT, related_name="+"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("advisor"), on_delete=models.PROTECT, related_name="+"
    )
    admitted_on = models.DateField(_("admitted on"))
    ends_on = models.DateField(_("programme ends"))
    goals = models.TextField(_("goals of the advisory"), max_length=3000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["admitted_on", "id"]
        verbose_name = _("advisory enrolment")
        verbose_name_plural = _("advisory enrolments")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("admitted_on")), name="enrolment_period"),
            models.CheckConstraint(condition=models.Q(status__in=EnrolmentStatus.values), name="enrolment_status"),
        ]

    def __str__(self) -> str:
        return str(self.startup)


class MilestoneKind(models.TextChoices):
    FIRST_ANSWER = "first_answer", _("First answer to a need")
    FIRST_PILOT = "first_pilot", _("First pilot")
    CERTIFICATION = "certification", _("Certification (e.g. BSI C5, ISO 27001)")
    FIRST_CONTRACT = "first_contract", _("First regular contract")
    OTHER = "other", _("Other")


# The default plan on admission: months after the start.
DEFAULT_PLAN = [
    (MilestoneKind.FIRST_ANSWER, 3),
    (MilestoneKind.FIRST_PILOT, 9),
    (MilestoneKind.CERTIFICATION, 15),
    (MilestoneKind.FIRST_CONTRACT, 24),
]


class AdvisoryMilestone(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("advisory milestone")
        verbose_name_plural = _("advisory milestones")

    def __str__(self) -> str:
        return self.title


class AdvisorySession(models.Model):
    """An advisory conversation; the notes are read by the startup and the unit alike."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), max_length=5000)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("advisory session")
        verbose_name_plural = _("advisory sessions")

    def __str__(self) -> str:
        return self.topic
