from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import assign, clean_or_refuse, require_permission, versioned_edit

from .models import ValueLimit

LIMIT_FIELDS = ["key", "jurisdiction", "amount", "valid_from", "valid_to", "source", "source_url"]


def _check_overlap(limit: ValueLimit) -> None:
    """Two limits of the same kind and place must not be in force on the same day, or the advisor could not choose."""
    others = ValueLimit.objects.filter(key=limit.key, jurisdiction=limit.jurisdiction).exclude(pk=limit.pk)
    for other in others:
        starts_before_other_ends = other.valid_to is None or limit.valid_from <= other.valid_to
        ends_after_other_starts = limit.valid_to is None or limit.valid_to >= other.valid_from
        if starts_before_other_ends and ends_after_other_starts:
            raise ApplicationError(
                _("This period overlaps with the limit valid from %(date)s. Please end that one first.")
                % {"date": other.valid_from.isoformat()},
                field="valid_from",
            )


@transaction.atomic
def value_limit_create(*, actor: Any, **fields: Any) -> ValueLimit:
    require_permission(actor, "procurement.change_limits")
    limit = ValueLimit(changed_by=actor)
    assign(limit, {k: v for k, v in fields.items() if k in LIMIT_FIELDS})
    clean_or_refuse(limit, exclude=["changed_by"])
    _check_overlap(limit)
    limit.save()
    audit(actor=actor, action="value_limit.create", obj=limit, changes=diff({}, snapshot(limit, LIMIT_FIELDS)))
    return limit


@transaction.atomic
def value_limit_update(*, actor: Any, limit: ValueLimit, version: int, **fields: Any) -> ValueLimit:
    require_permission(actor, "procurement.change_limits")
    current, before = versioned_edit(
        ValueLimit.objects.all(),
        limit.pk,
        version,
        fields,
        LIMIT_FIELDS,
        _("Someone else has changed this limit in the meantime. Please reload the page."),
    )
    clean_or_refuse(current, exclude=["changed_by"])
    _check_overlap(current)
    current.changed_by = actor
    current.version += 1
    current.save()
    if changes := diff(before, snapshot(current, LIMIT_FIELDS)):
        audit(actor=actor, action="value_limit.update", obj=current, changes=changes)
    return current
