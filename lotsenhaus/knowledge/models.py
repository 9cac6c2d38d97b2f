"""The knowledge base (articles with versions and review) and the expert directory."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsenhaus.core.models import ChoiceFlags, TimeStampedModel


class ArticleKind(models.TextChoices):
    BEST_PRACTICE = "best_practice", _("Best practice")
    LESSONS_LEARNED = "lessons_learned", _("Lessons learned from a pilot")
    GUIDE = "guide", _("Guide")
    MARKET_OVERVIEW = "market_overview", _("Market overview")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (administration, unit and experts)")
    PUBLIC = "public", _("Public")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class Article(TimeStampedModel):
    """The working copy. Readers see ``published`` (a frozen version), so editing never changes what is public
    until a reviewer publishes the new version."""

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text (Markdown)"), max_length=60000)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="articles"
    )
    needs = models.ManyToManyField("needs.Need", verbose_name=_("needs"), blank=True, related_name="+")
    pilot = models.ForeignKey(
        "pilots.Pilot", verbose_name=_("pilot"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    use_cases = models.ManyToManyField(
        "airegister.UseCase", verbose_name=_("AI use cases"), blank=True, related_name="+"
    )
    startups = models.ManyToManyField(
        "startups.StartupProfile", verbose_name=_("startups"), blank=True, related_name="+"
    )
    published = models.ForeignKey("ArticleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    review_note = models.TextField(_("note from the review"), blank=True)
    version = models.PositiveIntegerField(default=1)
    status_is = ChoiceFlags("status")  # templates: {% if obj.status_is.<value> %}

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ArticleKind.values), name="article_kind_valid"),
            models.CheckConstraint(condition=models.Q(visibility__in=Visibility.values), name="article_visibility"),
            models.CheckConstraint(
                condition=~models.Q(status=ArticleStatus.PUBLISHED) | models.Q(published__isnull=False),
                name="article_published_has_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """Every saved state of an article's text, numbered; never changed afterwards."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField()
    tags = models.JSONField(default=list)
    # Who may read it and what it links to are part of what the reviewer approved: changing either makes a
    # new version that goes through the review again (a reviewed internal article never turns public alone).
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL)
    links = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Currently not available")


class PublicField(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    EXPERTISE = "expertise", _("Areas of expertise")
    BIO = "bio", _("About me")
    LANGUAGES = "languages", _("Languages")
    AVAILABILITY = "availability", _("Availability")
    EMAIL = "email", _("E-mail address")


class ExpertProfile(TimeStampedModel):
    """An expert's entry in the directory. Inside the administration everyone sees it in full; the public sees
    it only if the expert publishes it, and only the fields they chose."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    headline = models.CharField(_("role or title"), max_length=200)
    expertise = models.JSONField(_("areas of expertise"), default=list)
    bio = models.TextField(_("about me"), max_length=3000, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    availability_note = models.CharField(_("note on availability"), max_length=200, blank=True)
    is_public = models.BooleanField(_("show my profile in the public directory"), default=False)
    public_fields = models.JSONField(_("shown publicly"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["user__name", "user__email"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return str(self.user)

    def audit_repr(self) -> str:
        return f"expert profile of person #{self.user_id}"
