from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from lotsenhaus.airegister.selectors import use_cases_visible
from lotsenhaus.challenges.selectors import challenges_visible
from lotsenhaus.core.selectors import in_rank_order
from lotsenhaus.pilots.selectors import pilot_list
from lotsenhaus.startups.selectors import profiles_visible

from .models import Article, ArticleKind, ArticleVersion, ExpertProfile, PublicField
from .rules import READABLE_ARTICLES, WORKING_COPIES


def articles_published(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Article]:
    """What a person may read: published articles, internal ones only inside the administration."""
    filters = filters or {}
    qs = READABLE_ARTICLES.restrict(Article.objects.select_related("published", "author"), user)
    if (kind := filters.get("kind")) in ArticleKind.values:
        qs = qs.filter(kind=kind)
    if tag := (filters.get("tag") or "").strip().lower():
        rows = qs.values_list("pk", "published__tags")
        qs = qs.filter(pk__in=[pk for pk, tags in rows if tag in {t.lower() for t in tags or []}])
    ranked = filters.get("ranked")
    if ranked is not None:
        return in_rank_order(qs, ranked)
    if query := (filters.get("q") or "").strip():
        for word in query.split()[:10]:
            qs = qs.filter(Q(published__title__icontains=word) | Q(published__body__icontains=word))
    return qs.order_by("-published_at", "-id")


def articles_workspace(*, user: Any) -> QuerySet[Article]:
    """Working copies: one's own, and every article for the unit (the review queue comes first)."""
    qs = WORKING_COPIES.restrict(Article.objects.select_related("author", "published"), user)
    return qs.order_by("-status", "-updated_at")


def article_get(*, user: Any, pk: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("author", "published", "pilot"), pk=pk)
    if not user.has_perm("knowledge.view_article", article):
        raise PermissionDenied
    return article


def articles_visible(*, user: Any, ids: list[int]) -> QuerySet[Article]:
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


def article_links(*, user: Any, article: Article, working: bool = False) -> dict[str, list[Any]]:
    """Linked objects the reader may see themself: a public article never reveals a draft need's title.

    Readers get the links of the published (reviewed) version; the working copy shows the current ones.
    """
    stored = article.published.links if article.published is not None and not working else link_snapshot(article)
    need_ids, startup_ids = stored.get("needs", []), stored.get("startups", [])
    use_case_ids, pilot_id = stored.get("use_cases", []), stored.get("pilot")
    pilots = list(pilot_list(user=user).filter(pk=pilot_id)) if pilot_id and user.is_authenticated else []
    use_cases = list(use_cases_visible(user=user, ids=use_case_ids))
    return {
        "needs": list(challenges_visible(user=user, ids=need_ids)),
        "startups": list(profiles_visible(user=user, ids=startup_ids)),
        "use_cases": use_cases,
        "pilots": pilots,
    }


def article_for_pilot(*, pilot_id: int) -> Article | None:
    return Article.objects.filter(pilot_id=pilot_id, kind=ArticleKind.LESSONS_LEARNED).order_by("pk").first()


def all_tags(*, user: Any) -> list[str]:
    tags: set[str] = set()
    for version_tags in READABLE_ARTICLES.restrict(Article.objects.all(), user).values_list(
        "published__tags", flat=True
    ):
        tags.update(version_tags or [])
    return sorted(tags, key=str.lower)


# --- Expert directory -----------------------------------------------------------------------------------


def expert_directory(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[ExpertProfile]:
    filters = filters or {}
    qs = ExpertProfile.objects.select_related("user", "organisation")
    full = user.has_perm("knowledge.view_full_expert_profiles")
    if not full:
        qs = qs.filter(is_public=True)
    if query := (filters.get("q") or "").strip():
        for word in query.split()[:10]:
            qs = qs.filter(_expert_match(word, full))
    if availability := filters.get("availability"):
        qs = qs.filter(availability=availability)
    return qs


def _expert_match(word: str, full: bool) -> Q:
    """A search matches only what the reader may read: outside the administration the name, the headline and
    the fields the expert made public (otherwise the search would tell what a private text contains)."""
    match = Q(user__name__icontains=word) | Q(headline__icontains=word)
    for name in (PublicField.EXPERTISE, PublicField.BIO):
        field = Q(**{f"{name.value}__icontains": word})
        # public_fields is a JSON list of names; a quoted name matches one element exactly.
        match |= field if full else field & Q(public_fields__icontains=f'"{name.value}"')
    return match


def expert_get(*, user: Any, pk: int) -> ExpertProfile:
    return get_object_or_404(expert_directory(user=user), pk=pk)


def own_expert_profile(*, user: Any) -> ExpertProfile | None:
    if not user.is_authenticated:
        return None
    return ExpertProfile.objects.filter(user=user).select_related("organisation").first()
