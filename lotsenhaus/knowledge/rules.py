from typing import Any

import rules

from lotsenhaus.core.roles import is_coordinator, is_expert, is_need_owner, is_platform_admin, is_unit_staff

from .models import ArticleStatus, Visibility

# Inside the administration: who reads internal articles and full expert profiles.
is_insider = is_unit_staff | is_need_owner | is_expert


@rules.predicate
def is_author(user: Any, article: Any) -> bool:
    return article is not None and article.author_id == user.pk


@rules.predicate
def is_readable(user: Any, article: Any) -> bool:
    if article is None or article.published_id is None:
        return False
    return article.published.visibility == Visibility.PUBLIC or is_insider(user)


@rules.predicate
def in_status_draft(user: Any, article: Any) -> bool:
    return article is not None and article.status == ArticleStatus.DRAFT


@rules.predicate
def in_review(user: Any, article: Any) -> bool:
    return article is not None and article.status == ArticleStatus.IN_REVIEW


@rules.predicate
def is_live(user: Any, article: Any) -> bool:
    return article is not None and article.published_id is not None


rules.add_perm("knowledge.add_article", is_insider)
rules.add_perm("knowledge.view_all_articles", is_unit_staff)
rules.add_perm("knowledge.view_article", is_readable | is_author | is_unit_staff)
rules.add_perm("knowledge.view_working_copy", is_author | is_unit_staff)
rules.add_perm("knowledge.change_article", is_author | is_unit_staff)
rules.add_perm("knowledge.submit_article", (is_author | is_unit_staff) & in_status_draft)
# Four eyes: a coordinator reviews, and not their own article.
rules.add_perm("knowledge.review_article", (is_coordinator | is_platform_admin) & ~is_author & in_review)
rules.add_perm("knowledge.withdraw_article", is_unit_staff & is_live)

rules.add_perm("knowledge.view_full_expert_profiles", is_insider)
rules.add_perm("knowledge.have_expert_profile", is_insider)
rules.add_perm("knowledge.invite_expert", is_coordinator | is_platform_admin)
rules.add_perm("knowledge.view_internal_articles", is_insider)
