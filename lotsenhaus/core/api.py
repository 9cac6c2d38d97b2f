"""Shared pieces of the REST API."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from .pagination import counted


class Pagination(PageNumberPagination):
    """Page numbers with an upper bound: a page beyond any list is empty, never a database error.

    Long lists are counted as on the web pages (``core.pagination.counted``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)

    def _items_count(self, queryset: Any) -> int:
        return counted(queryset)
