"""Helpers that services use to write the audit log inside their own transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from lotsenhaus.core.actors import Actor

from .models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values in JSON-safe form; foreign keys by id."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _plain(getattr(obj, attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields that changed, as ``{field: [before, after]}``."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


_ACTIONS: set[str] = set()


def action(code: str) -> str:
    """Declare an audit action code (``<object>.<verb>``) as a constant of its app's ``audit_actions`` module; the
    audit log accepts only declared codes, so a typo or an improvised string fails at once."""
    if not code.count(".") == 1 or code != code.lower():
        raise ValueError(f"an audit action is <object>.<verb> in lower case: {code!r}")
    _ACTIONS.add(code)
    return code


def declared_actions() -> frozenset[str]:
    return frozenset(_ACTIONS)


def audit(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the service's transaction so both commit or neither does."""
    entry = _entry(actor, action, obj, changes, object_type, object_id, object_repr)
    entry.save(force_insert=True)
    return entry


def _entry(
    actor: Actor | None,
    action: str,
    obj: models.Model | None,
    changes: dict[str, Any] | None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    if action not in _ACTIONS:
        raise ValueError(f"undeclared audit action {action!r}: declare it in the app's audit_actions module")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        # A model names its audit description without personal data by defining ``audit_repr()``:
        # the audit log cannot be changed after an erasure, so it refers to people by their id.
        object_repr = object_repr or str(getattr(obj, "audit_repr", obj.__str__)())[:255]
    return AuditEntry(
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=_plain(changes or {}),
    )


def audit_many(
    *, actor: Actor | None, action: str, objs: Iterable[models.Model], changes: dict[Any, dict[str, Any]] | None = None
) -> list[AuditEntry]:
    """One entry per object in one insert (a list import); ``changes`` by the object's pk."""
    entries = [_entry(actor, action, obj, (changes or {}).get(obj.pk)) for obj in objs]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)


# Verbs of the audit log's action codes (``<object>.<verb>``), so the log reads as sentences (issue 17, D31).
# Codes stay the stable record; an unknown verb is shown as its code.
VERBS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "submit": gettext_lazy("submitted"),
    "return": gettext_lazy("sent back"),
    "publish": gettext_lazy("published"),
    "withdraw": gettext_lazy("withdrawn"),
    "close": gettext_lazy("closed"),
    "open": gettext_lazy("opened for scoring"),
    "start": gettext_lazy("started"),
    "start_exploration": gettext_lazy("market exploration started"),
    "start_evaluation": gettext_lazy("evaluation started"),
    "start_pilot": gettext_lazy("pilot started"),
    "assign": gettext_lazy("coordinator assigned"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "assess": gettext_lazy("assessed"),
    "decide": gettext_lazy("decided"),
    "invite": gettext_lazy("juror invited"),
    "declare": gettext_lazy("conflict of interest declared"),
    "score": gettext_lazy("scored"),
    "price": gettext_lazy("price entered"),
    "criterion_add": gettext_lazy("criterion added"),
    "add": gettext_lazy("added"),
    "contact": gettext_lazy("contact logged"),
    "ask": gettext_lazy("question asked"),
    "answer": gettext_lazy("question answered"),
    "share": gettext_lazy("shared with every candidate"),
    "search": gettext_lazy("search documented"),
    "message": gettext_lazy("message sent"),
    "register": gettext_lazy("registration"),
    "cancel_registration": gettext_lazy("registration cancelled"),
    "cancel": gettext_lazy("cancelled"),
    "measure": gettext_lazy("measurement recorded"),
    "kpi_add": gettext_lazy("KPI added"),
    "milestone_add": gettext_lazy("milestone added"),
    "risk_add": gettext_lazy("risk added"),
    "status_report": gettext_lazy("status report written"),
    "admit": gettext_lazy("admitted"),
    "session_add": gettext_lazy("session recorded"),
    "milestone_done": gettext_lazy("milestone done"),
    "invite_to_answer": gettext_lazy("invited to answer"),
}


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _value(field: Any, value: Any) -> Any:
    if value is None or value == "":
        return "–"
    choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else {}
    if isinstance(value, str) and value in choices:
        return choices[value]
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    # Dates and times are stored as ISO text; whatever the field, they are shown in the reader's format.
    if isinstance(value, str) and len(value) == 10 and (day := _iso_date(value)):
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, str) and len(value) > 10 and value[10:11] == "T" and (moment := _iso_moment(value)):
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return value


def _iso_date(text: str) -> Any:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _iso_moment(text: str) -> Any:
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return timezone.localtime(moment) if moment is not None and timezone.is_aware(moment) else moment


def readable(entry: Any) -> dict[str, Any]:
    """An audit entry in words: the kind of object, what happened, and each change with the field's name and
    the values' labels (``draft → published`` becomes "Entwurf → Veröffentlicht")."""
    model = _model(entry.object_type)
    verb = entry.action.rpartition(".")[2]
    fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")} if model else {}
    changes = []
    for name, values in (entry.changes or {}).items():
        field = fields.get(name)
        label = capfirst(field.verbose_name) if field is not None else name.replace("_", " ")
        if isinstance(values, list | tuple) and len(values) == 2:
            changes.append((label, _value(field, values[0]), _value(field, values[1])))
        else:
            changes.append((label, None, _value(field, values)))
    return {
        "kind": capfirst(model._meta.verbose_name) if model else entry.object_type,
        "what": VERBS.get(verb, entry.action),
        "changes": changes,
    }
