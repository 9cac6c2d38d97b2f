"""The search index in the database: one row per searchable object, shared by every web and task worker.

Rows carry the analysed terms (the lexical index, written in the same transaction as the edit), the passage
embedding once a task has computed it, and the facets filters need. Web workers hold an in-memory copy that
follows `updated_at`; deleted objects leave a tombstone for a while so that every worker notices.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEED = "need", _("Need")
    STARTUP = "startup", _("Startup")
    SOLUTION = "solution", _("Solution")
    ARTICLE = "article", _("Article")


class SearchDocument(models.Model):
    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    language = models.CharField(max_length=2)
    terms = models.JSONField(default=dict)
    facets = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    embedding = models.BinaryField(null=True, blank=True)
    embedding_hash = models.CharField(max_length=64, blank=True)
    deleted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Raised by one on every write (every writer must: the workers' copies of the index notice a change by it). A
    # worker compares the revisions it holds with the rows' and, for late commits, the count and the sum of
    # revisions of a time window with its own, without reading every row of the window (index.py).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"]), models.Index(fields=["deleted", "embedding_hash"])]

    def __str__(self) -> str:
        return self.key

    @property
    def embedded(self) -> bool:
        return bool(self.embedding_hash) and self.embedding_hash == self.content_hash


class DigestSubscription(models.Model):
    """A startup member's opt-in to the weekly e-mail of newly published needs that match their solutions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_digest")
    active = models.BooleanField(default=True)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest for {self.user_id}"


class DigestDelivery(models.Model):
    """One row per subscription and week: the task that sends it can run twice without sending twice."""

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="deliveries")
    week = models.CharField(max_length=10)
    sent_at = models.DateTimeField(default=timezone.now)
    need_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "week"], name="digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.week}"
