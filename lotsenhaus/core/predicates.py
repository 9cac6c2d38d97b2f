"""django-rules, typed: the one place the project touches the library's functions (issue 19, item 4).

The library ships ``py.typed`` but leaves ``predicate``, ``add_perm`` and the operators of ``Predicate``
unannotated, so under strict mypy every rule would be an untyped call and every ``@predicate`` an untyped
decorator. Each app imports this module under the library's name (``from lotsenhaus.core import predicates as
rules``) and writes rules exactly as the library's documentation does; the casts are here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

import rules.permissions as _permissions
import rules.predicates as _predicates

__all__ = ["Predicate", "add_perm", "has_rule", "is_active", "is_authenticated", "perm_exists", "predicate"]


class Predicate(Protocol):
    """A rule's condition: called with the person (and the object), combined with ``|``, ``&``, ``^`` and ``~``."""

    name: str

    def __call__(self, *args: Any) -> bool: ...
    def __or__(self, other: Predicate) -> Predicate: ...
    def __and__(self, other: Predicate) -> Predicate: ...
    def __xor__(self, other: Predicate) -> Predicate: ...
    def __invert__(self) -> Predicate: ...


def predicate(fn: Callable[..., Any], name: str | None = None) -> Predicate:
    """``@predicate`` or ``predicate(fn, name=…)``: a function of the person (and the object) as a predicate."""
    made = _predicates.predicate(fn, name=name) if name else _predicates.predicate(fn)  # type: ignore[no-untyped-call]
    return cast(Predicate, made)


def has_rule(name: str, user: Any, obj: Any = None) -> bool:
    """Whether the permission ``name`` registered with ``add_perm`` holds – the rule alone, no other backend."""
    return bool(_permissions.has_perm(name, user, obj))  # type: ignore[no-untyped-call]


def add_perm(name: str, condition: Predicate) -> None:
    """Register a permission under ``name`` (``app.action``); ``user.has_perm(name, obj)`` asks it."""
    _permissions.add_perm(name, condition)  # type: ignore[no-untyped-call]


def perm_exists(name: str) -> bool:
    return bool(_permissions.perm_exists(name))  # type: ignore[no-untyped-call]


is_authenticated = cast(Predicate, _predicates.is_authenticated)
is_active = cast(Predicate, _predicates.is_active)
