"""Readiness checks for load balancers: the database answers, no migration is pending, the file store answers."""

import os
import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

_MIGRATIONS_OK_UNTIL = 0.0


def database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def storage_ok() -> bool:
    """The file store answers: the local media directory is there and readable, or the object store answers a
    listing of the top folder (one request)."""
    from django.core.files.storage import default_storage

    try:
        default_storage.listdir("")
    except FileNotFoundError:
        # A new installation's media directory appears with the first upload; it must be creatable.
        location = getattr(default_storage, "location", None)
        return location is not None and _creatable(location)
    except Exception:
        return False
    return True


def _creatable(location: str) -> bool:
    parent = os.path.abspath(location)
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    return os.access(parent, os.W_OK)


def migrations_applied() -> bool:
    """Loading the migration graph is slow, so a positive answer is trusted for a minute."""
    global _MIGRATIONS_OK_UNTIL
    if time.monotonic() < _MIGRATIONS_OK_UNTIL:
        return True
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False
    _MIGRATIONS_OK_UNTIL = time.monotonic() + 60
    return True


def reset_cache() -> None:
    global _MIGRATIONS_OK_UNTIL
    _MIGRATIONS_OK_UNTIL = 0.0
