"""Value limits change only with four eyes: one administrator proposes, a second one approves.

A proposal keeps the values, the reason (where the change was published) and the state of the limit it
changes; approving applies it under the limit's version lock, so that two approvals cannot overwrite each
other, and every step is audited. A city can enter an extension of a rule on the day it is published and a
colleague approves it the same day.
"""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit, diff, snapshot
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.validation import assign, clean_or_refuse, require_permission
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import platform_admins

from . import audit_actions
from .models import ValueLimit, ValueLimitChange


def _notify_admins(change: ValueLimitChange, actor: User) -> None:
    data = change.data
    notifications_send(
        recipients=platform_admins(),
        topic=Topic.RULES,
        title=lambda: (
            _("A change of a value limit awaits your approval: %(jurisdiction)s %(key)s")
            % {"jurisdiction": data.get("jurisdiction"), "key": data.get("key")}
        ),
        body=lambda: change.reason,
        url=reverse("procurement:limits"),
        key=f"limit-change:{change.pk}",
        actor=actor,
    )


def _notify_proposer(change: ValueLimitChange, actor: User) -> None:
    approved = change.state == ValueLimitChange.State.APPROVED
    notifications_send(
        recipients=[change.proposed_by],
        topic=Topic.RULES,
        title=lambda: (
            _("Your change of a value limit was approved")
            if approved
            else _("Your change of a value limit was rejected")
        ),
        body=lambda: change.reason,
        url=reverse("procurement:limits"),
        key=f"limit-change-decided:{change.pk}",
        actor=actor,
    )


LIMIT_FIELDS = [
    "key", "jurisdiction", "amount", "valid_from", "valid_to", "source", "reference", "source_url", "checked_on",
    "max_term_months",
]  # fmt: skip


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
                code="invalid_date",
            )


def _from_json(values: dict[str, Any]) -> dict[str, Any]:
    """A stored proposal (the JSON-safe ``snapshot`` form) back to field values, by each field's own parser."""
    fields = {field.name: field for field in ValueLimit._meta.concrete_fields}
    return {name: fields[name].to_python(value) for name, value in values.items()}


def _validated(limit: ValueLimit, fields: dict[str, Any]) -> ValueLimit:
    assign(limit, {k: v for k, v in fields.items() if k in LIMIT_FIELDS})
    clean_or_refuse(limit, exclude=["changed_by"])
    _check_overlap(limit)
    return limit


@transaction.atomic
def value_limit_propose(
    *, actor: User, reason: str, limit: ValueLimit | None = None, version: int | None = None, **fields: Any
) -> ValueLimitChange:
    """Propose a new limit (``limit`` None) or a change; nothing takes effect until another person approves."""
    require_permission(actor, "procurement.change_limits")
    if not (reason or "").strip():
        raise ApplicationError(
            _("Please say why, and where the change was published."), field="reason", code="required"
        )
    if limit is not None:
        current = ValueLimit.objects.get(pk=limit.pk)
        if version is not None and current.version != version:
            raise ApplicationError(
                _("Someone else has changed this limit in the meantime. Please reload the page."), code="conflict"
            )
        before = snapshot(current, LIMIT_FIELDS)
        candidate = _validated(current, fields)
    else:
        before = {}
        candidate = _validated(ValueLimit(), fields)
    after = snapshot(candidate, LIMIT_FIELDS)
    if limit is not None and not diff(before, after):
        raise ApplicationError(_("Nothing has changed."), code="unchanged")
    change = ValueLimitChange.objects.create(
        limit=limit,
        base_version=current.version if limit is not None else None,
        data=after,
        before=before,
        reason=reason.strip(),
        proposed_by=actor,
    )
    audit(actor=actor, action=audit_actions.VALUE_LIMIT_PROPOSE, obj=change, changes=diff(before, after))
    _notify_admins(change, actor)
    return change


@transaction.atomic
def value_limit_change_approve(*, actor: User, change: ValueLimitChange) -> ValueLimit:
    """The second person approves: the change takes effect now (four eyes: never the proposer)."""
    require_permission(actor, "procurement.change_limits")
    change = ValueLimitChange.objects.select_for_update().get(pk=change.pk)
    if change.state != ValueLimitChange.State.PENDING:
        raise ApplicationError(_("This change has already been decided."), code="wrong_state")
    if change.proposed_by_id == actor.pk:
        raise ApplicationError(_("A second person must approve a change you proposed."), code="four_eyes")
    values = _from_json(change.data)
    if change.limit_id is not None:
        limit = ValueLimit.objects.select_for_update().get(pk=change.limit_id)
        if limit.version != change.base_version:
            raise ApplicationError(
                _("The limit has changed since this proposal. Please reject it and propose again."), code="conflict"
            )
        before = snapshot(limit, LIMIT_FIELDS)
        _validated(limit, values)
        limit.version += 1
    else:
        before = {}
        limit = _validated(ValueLimit(), values)
    limit.changed_by = actor
    limit.save()
    change.limit = limit
    change.state = ValueLimitChange.State.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["limit", "state", "decided_by", "decided_at"])
    audit(
        actor=actor,
        action=audit_actions.VALUE_LIMIT_APPROVE,
        obj=limit,
        changes={**diff(before, snapshot(limit, LIMIT_FIELDS)), "proposed_by": [None, change.proposed_by_id]},
    )
    _notify_proposer(change, actor)
    return limit


@transaction.atomic
def value_limit_change_reject(*, actor: User, change: ValueLimitChange) -> ValueLimitChange:
    require_permission(actor, "procurement.change_limits")
    change = ValueLimitChange.objects.select_for_update().get(pk=change.pk)
    if change.state != ValueLimitChange.State.PENDING:
        raise ApplicationError(_("This change has already been decided."), code="wrong_state")
    change.state = ValueLimitChange.State.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])
    audit(actor=actor, action=audit_actions.VALUE_LIMIT_REJECT, obj=change, changes={"state": ["pending", "rejected"]})
    _notify_proposer(change, actor)
    return change
