"""Campus events: workshops, reverse pitches, pitch days and office hours, with registration and waiting list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import ChoiceFlags, HttpsURLField, TimeStampedModel


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    REVERSE_PITCH = "reverse_pitch", _("Reverse pitch (authorities present needs)")
    PITCH_DAY = "pitch_day", _("Pitch day")
    OFFICE_HOURS = "office_hours", _("Office hours")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = HttpsURLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty for no limit."))
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    needs = models.ManyToManyField("needs.Need", verbose_name=_("needs presented"), blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}
    kind_is = ChoiceFlags("kind")  # templates: {% if obj.kind_is.<value> %}

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=EventStatus.values), name="event_status_valid"),
            models.CheckConstraint(condition=~models.Q(place="", online_url=""), name="event_has_place_or_link"),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # Position in the waiting list: the time one joined it (re-registering after a cancellation queues anew).
    queued_at = models.DateTimeField(_("registered at"))
    cancelled_at = models.DateTimeField(null=True, blank=True)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_person"),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.event_id}: {self.status}"
