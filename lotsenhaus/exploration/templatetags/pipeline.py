"""Template helpers for the steps of a cooperation."""

from typing import Any

from django import template

from lotsenhaus.accounts.actors import Actor
from lotsenhaus.exploration.selectors import own_candidate

register = template.Library()


@register.filter
def sees_pipeline(need: Any, user: Actor) -> bool:
    """Whether the person may open every step of a need's pipeline (the unit and the need's authority)."""
    return bool(user.has_perm("exploration.view_exploration", need))


@register.inclusion_tag("exploration/partials/long_list_notice.html", takes_context=True)
def long_list_notice(context: Any, need: Any) -> dict[str, Any]:
    """On a need's page, a startup on its long list finds the way to the questions and answers (the need's page
    lives in a lower layer than the market exploration, so the exploration contributes this panel itself)."""
    user = context["request"].user
    return {"need": need, "listed": own_candidate(user=user, need=need) is not None}
