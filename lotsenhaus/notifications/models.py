"""In-app notifications and each person's choice of how often they arrive by e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    NEED_STATUS = "need_status", _("A need changed its state")
    ANSWER = "answer", _("An answer to a need arrived")
    EVALUATION = "evaluation", _("An evaluation or assessment awaits you")
    MILESTONE = "milestone", _("A pilot milestone is due")
    MATCHING_NEED = "matching_need", _("A need that matches your solutions was published")
    EVENT = "event", _("Events: reminders, waiting list, invitations")
    ADVISORY = "advisory", _("Advisory track: sessions and milestones")
    KNOWLEDGE = "knowledge", _("Knowledge base: articles to review or write")
    READER_MESSAGE = "reader_message", _("AI register: readers wrote about a record")
    STARTUP = "startup", _("Startups: registration and verification")
    EXPLORATION = "exploration", _("Market exploration: information shared with every candidate")
    RULES = "rules", _("Legal rules: changes to approve, and decisions on your proposals")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail")


class Notification(models.Model):
    """One message to one person. ``key`` makes creating it idempotent: a retried task adds nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # How the e-mail goes out, fixed when the notification is made: a later change of preference does not
    # resend old ones. ``emailed_at`` is set in the same transaction that sends, under a row lock.
    email = models.CharField(max_length=20, choices=Frequency.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A person's frequency for one topic; without a row the topic arrives immediately."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="preference_once_per_topic"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=[f.value for f in Frequency]), name="preference_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic} {self.frequency}"
