"""What can be searched: each domain app registers a source that turns its objects into search documents.

Matching knows no domain model; a source says how to build documents, which saves of which models change which
documents, and which of a list of objects a person may see (through the app's own selectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    kind: str
    object_id: int
    title: str
    text: str
    facets: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclass
class Source:
    kind: str
    build: Callable[[list[int]], list[Document]]
    all_ids: Callable[[], Iterable[int]]
    visible: Callable[[Any, list[int]], dict[int, Any]]
    triggers: dict[type, Callable[[Any], list[tuple[str, int]]]] = field(default_factory=dict)
    # The same for many objects written at once (``core.signals.bulk_saved``), in one query instead of one each.
    bulk_triggers: dict[type, Callable[[list[Any]], list[tuple[str, int]]]] = field(default_factory=dict)
    url: Callable[[Any], str] = lambda obj: ""
    label: Callable[[Any], str] = str
    see_all_permission: str = ""
    public_for_anonymous: bool = False


SOURCES: dict[str, Source] = {}


@dataclass
class DigestHooks:
    """What the weekly digest of new needs asks the apps that know, since matching may not import them
    (docs/architecture.md): startups tell which startup a person answers for and which startups are verified,
    needs which needs were published since a moment. Each app sets its part in ``AppConfig.ready``."""

    own_profile: Callable[[Any], Any] = lambda user: None
    verified_profiles: Callable[[], Iterable[Any]] = lambda: ()
    published_since: Callable[[Any], list[int]] = lambda since: []


DIGEST = DigestHooks()


@dataclass
class SearchFacets:
    """The structured filters of the search forms (maturity, hosting, …), told by the app that owns the facets
    (startups): its form fields by name, and how their cleaned values become ``SearchFilters`` arguments."""

    fields: Callable[[], dict[str, Any]] = dict
    filters: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: {}


FACETS = SearchFacets()


def register(source: Source) -> None:
    """Add a source and listen to its models' saves at once, whichever app becomes ready first."""
    from .receivers import connect

    SOURCES[source.kind] = source
    connect()
