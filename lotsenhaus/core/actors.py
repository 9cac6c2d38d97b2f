"""What core needs to know about whoever acts: a signed-in user, a service account or an anonymous reader.

Core may not import the accounts app (docs/architecture.md), so it types the actor by what it uses of it. The
domain apps use :data:`lotsenhaus.accounts.actors.Actor` (the user model or Django's anonymous user), which
satisfies this protocol; mypy checks that in every call from a domain app into core.
"""

from typing import Any, Protocol


class Actor(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


class Person(Actor, Protocol):
    """A user account (not an anonymous reader), as core's privacy functions see it."""

    @property
    def email(self) -> str: ...
