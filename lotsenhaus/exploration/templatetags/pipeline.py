"""Template helpers for the steps of a cooperation."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def sees_pipeline(need: Any, user: Any) -> bool:
    """Whether the person may open every step of a need's pipeline (the unit and the need's authority)."""
    return bool(user.has_perm("exploration.view_exploration", need))
