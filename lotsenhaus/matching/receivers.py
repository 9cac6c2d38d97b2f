"""Saves and deletes of searchable objects update their documents in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from lotsenhaus.core.signals import bulk_saved
from lotsenhaus.matching.registry import SOURCES


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _sync(sender, [instance])


def _bulk_saved(sender: type, instances: list[Any], **kwargs: Any) -> None:
    _sync(sender, instances)


def _sync(sender: type, instances: list[Any]) -> None:
    """The documents of these saved or deleted objects, brought up to date in one pass."""
    from lotsenhaus.matching.services import search_documents_sync

    keys: list[tuple[str, int]] = []
    for source in SOURCES.values():
        if (bulk := source.bulk_triggers.get(sender)) is not None:
            keys.extend(bulk(instances))
        elif (trigger := source.triggers.get(sender)) is not None:
            for instance in instances:
                keys.extend(trigger(instance))
    if keys:
        search_documents_sync(keys=keys)


def connect() -> None:
    bulk_saved.connect(_bulk_saved, dispatch_uid="search-bulk-saved")
    models: set[Any] = {model for source in SOURCES.values() for model in source.triggers}
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")
