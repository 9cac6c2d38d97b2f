"""Personal data: what each app stores about a person, for the export (Art. 15/20 GDPR) and erasure (Art. 17).

Each app declares, for every foreign key to the user model in its models, whether the rows go when the
person is erased (``delete``: notifications, memberships, registrations …) or stay as records of the
administration that then point at the pseudonymised account (``keep``: a need's owner, a juror, an audit
entry). Contact e-mail addresses typed into forms are found by the address (``email``). A test asserts
that every foreign key to the user model is declared, so a new model cannot forget the person.

Apps also register retention jobs (contact logs, answers): ``lotsenhaus apply-retention`` runs them all.
Core knows no domain app: everything here works on model labels and Django's model metadata.
"""

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from lotsenhaus.core.actors import Person

from .audit import audit


@dataclass
class Declaration:
    label: str
    delete: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    # (e-mail field, name field or "", "clear" or "delete"): rows whose address is the person's.
    email: tuple[str, str, str] | None = None
    secret: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


_DECLARATIONS: dict[str, Declaration] = {}
_ERASE_HOOKS: list[Callable[[Any, Any], None]] = []
_RETENTION: dict[str, Callable[[datetime.datetime], int]] = {}
_EXPORTS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {}


def declare(
    label: str,
    *,
    delete: tuple[str, ...] = (),
    keep: tuple[str, ...] = (),
    email: tuple[str, str, str] | None = None,
    secret: tuple[str, ...] = (),
) -> None:
    _DECLARATIONS[label.lower()] = Declaration(label.lower(), delete, keep, email, secret)


def on_erase(hook: Callable[[Any, Any], None]) -> None:
    """Run ``hook(person, actor)`` before the rows go, e.g. to free a place on an event through its service."""
    _ERASE_HOOKS.append(hook)


def register_retention(name: str, job: Callable[[datetime.datetime], int]) -> None:
    """``job(now)`` removes what is past its retention period and says how many records it removed."""
    _RETENTION[name] = job


def audit_removed(*, counts: Any, action: str, object_type: str, days: int) -> None:
    """One audit entry per object whose records went at the end of their retention: how many, not what.

    ``counts`` holds rows of ``{"object": id, "n": count}``, as a ``values().annotate()`` query returns them.
    """
    for row in counts:
        audit(
            actor=None,
            action=action,
            object_type=object_type,
            object_id=str(row["object"]),
            changes={"removed": row["n"], "retention_days": days},
        )


def declarations() -> list[Declaration]:
    return sorted(_DECLARATIONS.values(), key=lambda d: d.label)


def erase_hooks() -> list[Callable[[Any, Any], None]]:
    return list(_ERASE_HOOKS)


def retention_jobs() -> dict[str, Callable[[datetime.datetime], int]]:
    return dict(sorted(_RETENTION.items()))


def user_foreign_keys() -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every concrete foreign key or one-to-one field that points at the user model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is user_model:
                yield model, f


def undeclared() -> list[str]:
    """User foreign keys no app has declared, and declarations of fields that are no such key (must be empty)."""
    keys = {f"{model._meta.label_lower}.{f.name}" for model, f in user_foreign_keys()}
    declared = {f"{d.label}.{name}" for d in _DECLARATIONS.values() for name in (*d.delete, *d.keep)}
    return sorted(keys ^ declared)


def _lookups(declaration: Declaration, user: Person) -> list[tuple[str, dict[str, Any]]]:
    """How rows of the declared model refer to the person: (relation, filter) per foreign key and address."""
    lookups: list[tuple[str, dict[str, Any]]] = [
        (name, {name: user}) for name in (*declaration.delete, *declaration.keep)
    ]
    if declaration.email and user.email:
        lookups.append((declaration.email[0], {f"{declaration.email[0]}__iexact": user.email}))
    return lookups


def collect(user: Person) -> dict[str, list[dict[str, Any]]]:
    """Every declared row that refers to the person, by model label, each marked with how it refers.

    Rows that are the person's own (declared ``delete``: memberships, notifications, registrations …) come
    with all their fields. Records of the administration that merely name the person (``keep``: a need they
    own, an article they wrote) come only with what is about the person – how it refers to them, their own
    contact fields, when – not with the organisation's current content, which a former member has no right to.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for declaration in declarations():
        seen: dict[Any, dict[str, Any]] = {}
        own = set(declaration.delete)
        if declaration.email and declaration.email[2] == "delete":
            own.add(declaration.email[0])  # rows that exist only for the person (a contact person entry)
        about_fields = {*declaration.delete, *declaration.keep, "created_at", "updated_at", "at"}
        if declaration.email:
            about_fields |= {declaration.email[0], declaration.email[1]} - {""}
        for relation, lookup in _lookups(declaration, user):
            for row in serializers.serialize("python", declaration.model._default_manager.filter(**lookup)):
                fields = {k: v for k, v in row["fields"].items() if k not in declaration.secret}
                entry = seen.setdefault(row["pk"], {"relation": [], "fields": {}, "own": False})
                entry["relation"].append(relation)
                entry["own"] = entry["own"] or relation in own
                entry["fields"] = fields if entry["own"] else {k: v for k, v in fields.items() if k in about_fields}
        if seen:
            records[declaration.label] = [
                {"id": pk, "relation": e["relation"], "fields": e["fields"]} for pk, e in sorted(seen.items())
            ]
    for name, export in sorted(_EXPORTS.items()):
        if rows := export(user):
            records[name] = rows
    return records


def register_export(name: str, export: Callable[[Any], list[dict[str, Any]]]) -> None:
    """Data about a person that no foreign key to them reaches (an expert's scores through their seat)."""
    _EXPORTS[name] = export


def erase_rows(user: Person) -> dict[str, int]:
    """Delete the rows declared ``delete`` and clear or delete rows found by the person's address.

    Called by the erasure service inside its transaction, after the hooks and before the account is
    pseudonymised. Returns the number of records touched per model label.
    """
    touched: dict[str, int] = {}
    for declaration in declarations():
        model = declaration.model
        count = 0
        for name in declaration.delete:
            count += model._default_manager.filter(**{name: user}).delete()[1].get(model._meta.label, 0)
        if declaration.email and user.email:
            email_field, name_field, how = declaration.email
            matching = model._default_manager.filter(**{f"{email_field}__iexact": user.email})
            if how == "delete":
                count += matching.delete()[1].get(model._meta.label, 0)
            else:
                count += matching.update(**{email_field: "", **({name_field: ""} if name_field else {})})
        if count:
            touched[declaration.label] = count
    return touched


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
