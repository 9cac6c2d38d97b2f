"""Readiness checks for load balancers: the database answers and no migration is pending."""

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
