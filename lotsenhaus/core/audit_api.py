"""The audit log over the API, for the unit and its auditors: the same entries and filters as the page."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from . import selectors
from .api import Pagination
from .audit_filters import AuditFilterSet
from .filters import query_schema

router = Router(tags=["audit log"])


class AuditFilters(query_schema(AuditFilterSet, "AuditFilterSchema")):  # type: ignore[misc]
    """The audit log's filters, generated from its FilterSet (core.filters): the same as on the page."""


class AuditEntryOut(Schema):
    id: int
    at: datetime
    action: str
    actor: str | None
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.email if obj.actor else None


@router.get("/audit", response=list[AuditEntryOut], summary="The audit log, newest first")
@paginate(Pagination, page_size=50)
def list_audit_entries(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    bound = AuditFilterSet(filters.dict(exclude_none=True))
    return selectors.audit_entries(user=request.user, filters=bound)
