"""Market exploration (Markterkundung) of one need: the long list, contacts, questions and the method."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import TimeStampedModel


class Exploration(TimeStampedModel):
    """The documentation a procurement file needs, kept from the first day: period, method, recommendation."""

    need = models.OneToOneField("needs.Need", on_delete=models.CASCADE, related_name="exploration")
    started_at = models.DateField(_("start of the market exploration"))
    ended_at = models.DateField(_("end of the market exploration"), null=True, blank=True)
    method = models.TextField(
        _("search method"),
        max_length=5000,
        blank=True,
        help_text=_("Which sources were searched and how, e.g. platform search, networks, events, databases."),
    )
    recommendation = models.TextField(_("recommendation"), max_length=5000, blank=True)
    recommendation_reasons = models.TextField(_("reasons for the recommendation"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("market exploration")
        verbose_name_plural = _("market explorations")

    def __str__(self) -> str:
        return str(self.need)


class SearchRun(models.Model):
    """A search of the platform's index done for the long list: query, filters and what it brought."""

    exploration = models.ForeignKey(Exploration, on_delete=models.CASCADE, related_name="searches")
    query = models.TextField(_("query"), max_length=5000)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    found = models.PositiveIntegerField(_("hits"))
    added = models.PositiveIntegerField(_("added to the long list"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.query[:50]


class Source(models.TextChoices):
    MATCHING = "matching", _("Suggested by the search")
    ANSWER = "answer", _("Answered the need")
    MANUAL = "manual", _("Added by hand")


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACTED = "contacted", _("Contacted")
    TALKED = "talked", _("Talk held")
    EXCLUDED = "excluded", _("Excluded")
    SHORTLIST = "shortlist", _("Short list")


class Candidate(TimeStampedModel):
    """One startup on a need's long list, with where it came from and how far it got."""

    exploration = models.ForeignKey(Exploration, on_delete=models.CASCADE, related_name="candidates")
    startup = models.ForeignKey("startups.StartupProfile", on_delete=models.PROTECT, related_name="+")
    solution = models.ForeignKey(
        "startups.Solution",
        verbose_name=_("solution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    exclusion_reason = models.TextField(_("reason for the exclusion"), max_length=3000, blank=True)
    note = models.TextField(_("note"), max_length=3000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("long list")
        constraints = [
            models.UniqueConstraint(fields=["exploration", "startup"], name="candidate_once_per_exploration"),
            models.CheckConstraint(
                condition=~models.Q(status=CandidateStatus.EXCLUDED) | ~models.Q(exclusion_reason=""),
                name="candidate_exclusion_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.startup)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Video call")
    MEETING = "meeting", _("Meeting in person")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Contact(models.Model):
    """An entry in the contact log: who spoke with the startup, when, how and about what."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contacts")
    happened_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    participants = models.CharField(_("who took part"), max_length=300)
    summary = models.TextField(_("summary"), max_length=5000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_channel_display()}"


class Question(TimeStampedModel):
    """A startup's question about the need; answered by the unit and, for equal treatment, shared with all."""

    exploration = models.ForeignKey(Exploration, on_delete=models.CASCADE, related_name="questions")
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("asked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("question"), max_length=3000)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    shared_at = models.DateTimeField(_("shared with all candidates"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def unequal(self) -> bool:
        """Answered to one startup but not yet to the others."""
        return self.answered_at is not None and self.shared_at is None
