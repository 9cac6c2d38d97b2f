"""Audit actions of knowledge: the stable codes its services write into the audit log (docs/architecture.md)."""

from lotsenhaus.core.audit import action

ARTICLE_CREATE = action("article.create")
ARTICLE_PUBLISH = action("article.publish")
ARTICLE_RETURN = action("article.return")
ARTICLE_SUBMIT = action("article.submit")
ARTICLE_UPDATE = action("article.update")
ARTICLE_WITHDRAW = action("article.withdraw")
EXPERT_INVITE_ASSESSMENT = action("expert.invite_assessment")
EXPERT_PROFILE_CREATE = action("expert_profile.create")
EXPERT_PROFILE_UPDATE = action("expert_profile.update")
