from typing import Any

from django.db.models import Q

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.core import predicates as rules
from lotsenhaus.core.roles import is_coordinator, is_expert, is_need_owner, is_platform_admin, is_unit_staff
from lotsenhaus.core.visibility import EVERYTHING, NOTHING, visibility

from .models import Article, ArticleStatus, Visibility

# Inside the administration: who reads internal articles and full expert profiles.
is_insider = is_unit_staff | is_need_owner | is_expert


@rules.predicate
def is_author(user: Actor, article: Any) -> bool:
    return article is not None and article.author_id == user.pk


@rules.predicate
def in_status_draft(user: Actor, article: Any) -> bool:
    return article is not None and article.status == ArticleStatus.DRAFT


@rules.predicate
def in_review(user: Actor, article: Any) -> bool:
    return article is not None and article.status == ArticleStatus.IN_REVIEW


@rules.predicate
def is_live(user: Actor, article: Any) -> bool:
    return article is not None and article.published_id is not None


rules.add_perm("knowledge.add_article", is_insider)
rules.add_perm("knowledge.view_all_articles", is_unit_staff)


def _readable(user: Actor) -> Q:
    """The published version: public ones for everyone, internal ones inside the administration (as reviewed, not
    as the working copy says)."""
    published = Q(published__isnull=False)
    return published if is_insider(user) else published & Q(published__visibility=Visibility.PUBLIC)


def _working_copies(user: Actor) -> Q:
    if is_unit_staff(user):
        return EVERYTHING
    return Q(author_id=user.pk) if user.is_authenticated else NOTHING


# Reading (the knowledge base, search, links), opening (readers, and the author and the unit unpublished
# articles too), and the working copies (the author's and, for review, the unit's).
READABLE_ARTICLES = visibility("knowledge.read_article", Article, _readable)
VISIBLE_ARTICLES = visibility(
    "knowledge.view_article",
    Article,
    lambda user: EVERYTHING if is_unit_staff(user) else _readable(user) | _working_copies(user),
)
WORKING_COPIES = visibility("knowledge.view_working_copy", Article, _working_copies)
rules.add_perm("knowledge.change_article", is_author | is_unit_staff)
rules.add_perm("knowledge.submit_article", (is_author | is_unit_staff) & in_status_draft)
# Four eyes: a coordinator reviews, and not their own article.
rules.add_perm("knowledge.review_article", (is_coordinator | is_platform_admin) & ~is_author & in_review)
rules.add_perm("knowledge.withdraw_article", is_unit_staff & is_live)

rules.add_perm("knowledge.view_full_expert_profiles", is_insider)
rules.add_perm("knowledge.have_expert_profile", is_insider)
rules.add_perm("knowledge.invite_expert", is_coordinator | is_platform_admin)
rules.add_perm("knowledge.view_internal_articles", is_insider)
