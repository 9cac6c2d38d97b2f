"""Shared pieces of the REST API: one pagination shape, one error schema and the OpenAPI contract built on them.

Every list answers ``{"count", "next", "previous", "results"}`` (``Pagination``); every refusal answers the
``Error`` schema with a code from ``core.exceptions.ERROR_CODES``; ``document_contract`` writes both into the
OpenAPI document, with the error responses each operation can give and an anonymous option on public operations.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from .exceptions import ERROR_CODES, ErrorCode, http_status
from .pagination import counted


class Pagination(PageNumberPagination):
    """Page numbers with an upper bound: a page beyond any list is empty, never a database error.

    Long lists are counted as on the web pages (``core.pagination.counted``); ``next`` and ``previous`` are absolute
    links built from ``LOTSENHAUS_BASE_URL`` that keep the request's filters."""

    items_attribute = "results"

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)

    class Output(Schema):
        count: int
        next: str | None = Field(None, description="Absolute link to the next page; null on the last page")
        previous: str | None = Field(None, description="Absolute link to the previous page; null on the first page")
        results: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        size = self.page_size if pagination.page_size is None else min(pagination.page_size, self.max_page_size)
        page = pagination.page
        offset = (page - 1) * size
        count = counted(queryset)
        return {
            "count": count,
            "next": _link(request, page=page + 1) if offset + size < count else None,
            "previous": _link(request, page=min(page - 1, max(1, -(-count // size)))) if page > 1 else None,
            "results": queryset[offset : offset + size],
        }


def offset_link(request: HttpRequest, *, offset: int, limit: int) -> str:
    """The link to other hits of a list paged by ``offset`` and ``limit`` (search), filters kept."""
    return _link(request, offset=offset, limit=limit)


def _link(request: HttpRequest, **changes: int) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return f"{settings.LOTSENHAUS_BASE_URL}{request.path}?{urlencode(sorted(query.lists()), doseq=True)}"


class CreatedOut(Schema):
    """What a create operation answers when the new object has no schema of its own: its id."""

    id: int


class Error(Schema):
    """The one shape of every error answer of the API."""

    detail: str = Field(..., description="What went wrong, in the reader's language (German or English)")
    code: ErrorCode = Field(
        ...,
        description="Stable code of the kind of refusal: "
        + "; ".join(f"`{code}`: {text}" for code, text in ERROR_CODES.items()),
    )
    field: str | None = Field(None, description="The input field the error belongs to, if any")
    errors: list[dict[str, Any]] | None = Field(None, description="For invalid_input: each problem with its location")


WRITES = frozenset({"post", "put", "patch", "delete"})
STATUS_TEXTS = {
    400: "A business rule refused the action",
    401: "No valid token or session",
    403: "Not allowed",
    404: "No such object, or none you may see",
    409: "Someone else saved in the meantime",
    422: "The request does not match this operation's schema",
    429: "Too many requests of this kind",
    503: "The server cannot do this now",
}


def _status_description(status: int) -> str:
    """What an error status means, with the codes it answers (from the catalogue, core.exceptions)."""
    codes = [code for code in ERROR_CODES if http_status(code) == status]
    return f"{STATUS_TEXTS[status]} (code{'s' if len(codes) > 1 else ''} {', '.join(codes)})"


def document_contract(schema: dict[str, Any], *, public_operations: set[str]) -> dict[str, Any]:
    """Write the error responses and the public operations into an OpenAPI document (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = Error.model_json_schema()
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = {"422"} if operation.get("parameters") or operation.get("requestBody") else set()
            if "{" in path:
                statuses.add("404")
            if operation.get("security"):
                statuses |= {"401", "403"}
                if operation["operationId"] in public_operations:
                    # Anyone may call it; a token or session, when sent, is honoured (a refused token is 401).
                    operation["security"].append({})
            if method in WRITES:
                # A write names other objects by id (organisation_id, candidate_id …) that may not exist: 404.
                statuses |= {"400", "404", "409", "429", "503"}
            else:
                statuses |= {"400", "503"} if operation.get("security") else set()
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(
                    status,
                    {
                        "description": _status_description(int(status)),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return schema
