from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.airegister.selectors import use_cases_visible
from lotsenhaus.needs.selectors import needs_visible
from lotsenhaus.pilots.selectors import pilot_list
from lotsenhaus.startups.selectors import profiles_visible

from .filters import ArticleFilterSet, ExpertFilterSet
from .models import Article, ArticleKind, ArticleVersion, ExpertProfile
from .rules import READABLE_ARTICLES, WORKING_COPIES


def articles_published(
    *, user: Actor, filters: ArticleFilterSet | Mapping[str, Any] | None = None
) -> QuerySet[Article]:
    """What a person may read: published articles, internal ones only inside the administration."""
    qs = READABLE_ARTICLES.restrict(Article.objects.select_related("published", "author"), user)
    return ArticleFilterSet.apply(filters, qs)


def articles_workspace(*, user: Actor) -> QuerySet[Article]:
    """Working copies: one's own, and every article for the unit (the review queue comes first)."""
    qs = WORKING_COPIES.restrict(Article.objects.select_related("author", "published"), user)
    return qs.order_by("-status", "-updated_at")


def article_get(*, user: Actor, pk: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("author", "published", "pilot"), pk=pk)
    if not user.has_perm("knowledge.view_article", article):
        raise PermissionDenied
    return article


def articles_visible(*, user: Actor, ids: list[int]) -> QuerySet[Article]:
    return READABLE_ARTICLES.restrict(Article.objects.filter(pk__in=ids), user).select_related("published")


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("created_by")


def link_snapshot(article: Article) -> dict[str, Any]:
    """The article's current links as ids, as stored with each version."""
    return {
        "needs": sorted(article.needs.values_list("pk", flat=True)),
        "use_cases": sorted(article.use_cases.values_list("pk", flat=True)),
        "startups": sorted(article.startups.values_list("pk", flat=True)),
        "pilot": article.pilot_id,
    }


def article_links(*, user: Actor, article: Article, working: bool = False) -> dict[str, list[Any]]:
    """Linked objects the reader may see themself: a public article never reveals a draft need's title.

    Readers get the links of the published (reviewed) version; the working copy shows the current ones.
    """
    stored = article.published.links if article.published is not None and not working else link_snapshot(article)
    need_ids, startup_ids = stored.get("needs", []), stored.get("startups", [])
    use_case_ids, pilot_id = stored.get("use_cases", []), stored.get("pilot")
    pilots = list(pilot_list(user=user).filter(pk=pilot_id)) if pilot_id and user.is_authenticated else []
    use_cases = list(use_cases_visible(user=user, ids=use_case_ids))
    return {
        "needs": list(needs_visible(user=user, ids=need_ids)),
        "startups": list(profiles_visible(user=user, ids=startup_ids)),
        "use_cases": use_cases,
        "pilots": pilots,
    }


def article_for_pilot(*, pilot_id: int) -> Article | None:
    return Article.objects.filter(pilot_id=pilot_id, kind=ArticleKind.LESSONS_LEARNED).order_by("pk").first()


def all_tags(*, user: Actor) -> list[str]:
    tags: set[str] = set()
    for version_tags in READABLE_ARTICLES.restrict(Article.objects.all(), user).values_list(
        "published__tags", flat=True
    ):
        tags.update(version_tags or [])
    return sorted(tags, key=str.lower)


# --- Expert directory -----------------------------------------------------------------------------------


def expert_directory(
    *, user: Actor, filters: ExpertFilterSet | Mapping[str, Any] | None = None
) -> QuerySet[ExpertProfile]:
    qs = ExpertProfile.objects.select_related("user", "organisation")
    full = user.has_perm("knowledge.view_full_expert_profiles")
    if not full:
        qs = qs.filter(is_public=True)
    if not isinstance(filters, ExpertFilterSet):
        filters = ExpertFilterSet(filters, full=full)
    return ExpertFilterSet.apply(filters, qs)


def expert_get(*, user: Actor, pk: int) -> ExpertProfile:
    return get_object_or_404(expert_directory(user=user), pk=pk)


def own_expert_profile(*, user: Actor) -> ExpertProfile | None:
    if not user.is_authenticated:
        return None
    return ExpertProfile.objects.filter(user=user).select_related("organisation").first()
