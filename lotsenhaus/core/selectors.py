from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, When

from lotsenhaus.core.actors import Actor

from .models import AccessibilityFeedback, AuditEntry, StoredDocument

if TYPE_CHECKING:
    from .audit_filters import AuditFilterSet


def in_rank_order(qs: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    """The rows with the given ids in the given order (a search engine's ranking), others left out."""
    by_rank = Case(*[When(pk=pk, then=rank) for rank, pk in enumerate(ids)], output_field=IntegerField())
    return qs.filter(pk__in=ids).order_by(by_rank, "pk")


def audit_entries(*, user: Actor, filters: "AuditFilterSet | None" = None) -> QuerySet[AuditEntry]:
    """Audit entries the user may see, newest first, with the actor prefetched (one query per page).

    ``filters`` is bound by the page or the API (``core.audit_filters``, which builds on this module).
    """
    if not user.has_perm("core.view_auditlog"):
        raise PermissionDenied
    qs = AuditEntry.objects.select_related("actor")
    return type(filters).apply(filters, qs) if filters is not None else qs


def audit_object_types() -> list[str]:
    return list(AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct())


def accessibility_feedback(*, user: Actor) -> QuerySet[AccessibilityFeedback]:
    if not user.has_perm("core.view_feedback"):
        raise PermissionDenied
    return AccessibilityFeedback.objects.select_related("user")


def stored_documents(*, kind: str, obj: Any) -> QuerySet[StoredDocument]:
    """Versions of one document, newest first; the caller has checked that the person may see ``obj``."""
    return StoredDocument.objects.filter(
        kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("created_by")
