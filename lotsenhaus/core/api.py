"""Shared pieces of the REST API."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers with an upper bound: a page beyond any list is empty, never a database error."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)
