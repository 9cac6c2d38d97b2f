from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotsenhaus.accounts.actors import Actor

from . import advisor
from .models import ValueLimit, ValueLimitChange


def limit_rows() -> list[advisor.Limit]:
    """Every recorded limit, of every period: the advisor picks those valid on the day the procedure starts and
    can say when a limit (such as the experimentation clause) ended."""
    return [
        advisor.Limit(
            row.key,
            row.amount,
            row.source,
            row.valid_from,
            row.valid_to,
            row.jurisdiction,
            row.reference,
            row.source_url,
            row.checked_on,
            row.max_term_months,
        )
        for row in ValueLimit.objects.order_by("valid_from", "id")
    ]


def advice_for(question: advisor.Question) -> advisor.Advice:
    return advisor.advise(question, limit_rows(), today=timezone.localdate())


def value_limits(*, user: Actor) -> QuerySet[ValueLimit]:
    if not user.has_perm("procurement.view_limits"):
        raise PermissionDenied
    return ValueLimit.objects.select_related("changed_by")


def value_limit_get(*, user: Actor, pk: int) -> ValueLimit:
    if not user.has_perm("procurement.change_limits"):
        raise PermissionDenied
    return get_object_or_404(ValueLimit, pk=pk)


def value_limit_changes(*, user: Actor) -> QuerySet[ValueLimitChange]:
    """Proposed and decided changes, newest first: the history of every limit (administrators only)."""
    if not user.has_perm("procurement.change_limits"):
        return ValueLimitChange.objects.none()
    return ValueLimitChange.objects.select_related("limit", "proposed_by", "decided_by")[:100]


def value_limit_change_get(*, user: Actor, pk: int) -> ValueLimitChange:
    if not user.has_perm("procurement.change_limits"):
        raise PermissionDenied
    return get_object_or_404(ValueLimitChange, pk=pk)


def public_limits() -> QuerySet[ValueLimit]:
    """Limits are published law: anyone may read them with their sources."""
    return ValueLimit.objects.order_by("jurisdiction", "key", "-valid_from")


def experimentation_clause_end(on: date) -> date | None:
    """The recorded end of Hamburg's experimentation clause valid on ``on`` (None: open-ended or not in force)."""
    row = (
        ValueLimit.objects.filter(key="experimentation_clause", jurisdiction="DE-HH", valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return row.valid_to if row else None
