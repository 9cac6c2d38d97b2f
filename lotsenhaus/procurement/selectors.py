from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import advisor
from .models import ValueLimit

DEFAULT_JURISDICTION = "DE-HH"


def limits_valid_on(on: date, jurisdiction: str = DEFAULT_JURISDICTION) -> dict[str, advisor.Limit]:
    """The limits in force on a day: the EU's and the jurisdiction's own (the latest start wins)."""
    rows = (
        ValueLimit.objects.filter(jurisdiction__in=["EU", jurisdiction], valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("valid_from", "id")
    )
    return {row.key: advisor.Limit(row.key, row.amount, row.source, row.valid_from, row.valid_to) for row in rows}


def advice_for(question: advisor.Question, jurisdiction: str = DEFAULT_JURISDICTION) -> advisor.Advice:

    on = question.on or timezone.localdate()
    return advisor.advise(question, limits_valid_on(on, jurisdiction))


def value_limits(*, user: Any) -> QuerySet[ValueLimit]:
    if not user.has_perm("procurement.view_limits"):
        raise PermissionDenied
    return ValueLimit.objects.select_related("changed_by")


def value_limit_get(*, user: Any, pk: int) -> ValueLimit:
    if not user.has_perm("procurement.change_limits"):
        raise PermissionDenied
    return get_object_or_404(ValueLimit, pk=pk)
