"""Navigation and dashboard cards: apps register items with the permission that shows them.

Templates never decide who sees what; the context processor filters by ``user.has_perm``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from lotsenhaus.core.actors import Actor


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str | None = None
    order: int = 50
    anonymous_only: bool = False


@dataclass(frozen=True)
class DashboardCard:
    title: Any
    text: Any
    permission: str
    url_name: str | None = None
    link_label: Any = None
    order: int = 50
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    # For links that depend on the person, e.g. their own profile; returns None to hide the link.
    url_for: Callable[[Any], str | None] | None = None
    # How many things wait behind the card (shown as a number on it), for the person.
    count: Callable[[Any], int] | None = None


_NAV: list[NavItem] = []
_CARDS: list[DashboardCard] = []


def register(*items: NavItem) -> None:
    _NAV.extend(items)
    _NAV.sort(key=lambda item: item.order)


def register_cards(*cards: DashboardCard) -> None:
    _CARDS.extend(cards)
    _CARDS.sort(key=lambda card: card.order)


def _visible(user: Actor, permission: str | None, anonymous_only: bool = False) -> bool:
    if anonymous_only:
        return not user.is_authenticated
    return permission is None or user.has_perm(permission)


def nav_for(user: Actor, current_path: str) -> list[dict[str, Any]]:
    result = []
    for item in _NAV:
        if not _visible(user, item.permission, item.anonymous_only):
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        result.append({"label": item.label, "url": url, "active": active})
    return result


def cards_for(user: Actor) -> list[dict[str, Any]]:
    result = []
    for card in _CARDS:
        if not _visible(user, card.permission):
            continue
        if card.url_for is not None:
            url = card.url_for(user)
        else:
            url = reverse(card.url_name, kwargs=card.url_kwargs) + card.query if card.url_name else None
        result.append(
            {
                "title": card.title,
                "text": card.text,
                "url": url,
                "link_label": card.link_label,
                "count": card.count(user) if card.count is not None else None,
            }
        )
    return result
