"""The one part of Django Ninja we rely on that is not its public API, wrapped once (issue 19, item 4): the list
of an API's routers, which Ninja keeps as ``_routers`` "for backward compatibility". An upgrade that drops it
breaks here and in ``core/tests/test_ninja_internals.py`` (and the OpenAPI document would lose which operations
anyone may call)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ninja import NinjaAPI


def operations_of(api: NinjaAPI) -> Iterator[Any]:
    """Every operation of every router of ``api``."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations
