"""Backup and restore of the database and the uploaded files, as one archive that works across SQLite and
PostgreSQL.

The archive (``.tar.gz``) holds ``manifest.json`` (format, time, migrations, rows per model, SHA-256 of every
file), ``data.json`` (every row, Django's serialisation with natural keys for content types and permissions,
which ``migrate`` recreates) and ``media/``. A restore goes into a freshly migrated, empty database only: the
audit log refuses changes and deletions, so an archive is never merged into existing data.

Files are read and written through Django's ``default`` storage, so the same archive comes from and goes back
to the local disk or the object store, whichever is configured (a trial on disk can move to a cluster).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApplicationError

FORMAT = 1
# Recreated by ``migrate`` or short-lived: not part of a backup.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class _Exact(DjangoJSONEncoder):
    """Django's JSON encoder cuts times to milliseconds; a backup keeps them to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _models() -> list[Any]:
    """Every model to back up, ordered so that a row's natural-key references come before it (as dumpdata)."""
    by_app = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in SKIPPED and not m._meta.proxy])
        for config in apps.get_app_configs()
    ]
    return serializers.sort_dependencies(by_app, allow_cycles=True)


def _sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(prefix: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # a new installation's media folder appears with the first upload
        return []
    names = [f"{prefix}{name}" for name in files]
    for folder in folders:
        names += _walk(f"{prefix}{folder}/")
    return names


def _media_files() -> list[str]:
    """Every stored file's name relative to the storage's root (``answers/2026/12/x.pdf``), sorted."""
    return sorted(_walk())


def backup_write(target: Path) -> dict[str, Any]:
    """Write the archive; every model is read in one repeatable snapshot of the database."""
    with transaction.atomic():
        rows = []
        for model in _models():
            rows.extend(model._base_manager.order_by("pk"))
        data = json.dumps(serializers.serialize("python", rows, use_natural_foreign_keys=True), cls=_Exact)
    counts = Counter(obj._meta.label_lower for obj in rows)
    files = {name: _sha256(name) for name in _media_files()}
    migrations = sorted(f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"))
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connections[DEFAULT_DB_ALIAS].vendor,
        "migrations": migrations,
        "rows": dict(sorted(counts.items())),
        "files": files,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        for name, payload in (("manifest.json", json.dumps(manifest, indent=1)), ("data.json", data)):
            blob = payload.encode()
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            archive.addfile(info, io.BytesIO(blob))
        for relative in files:
            info = tarfile.TarInfo(f"media/{relative}")
            info.size = default_storage.size(relative)
            with default_storage.open(relative, "rb") as handle:
                archive.addfile(info, handle)
    return manifest


def _is_fresh() -> bool:
    """Nobody has used this database yet: no person and no audit entry (``migrate`` may have seeded data)."""
    from .models import AuditEntry

    return not get_user_model()._base_manager.exists() and not AuditEntry.objects.exists()


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = Path(member.name)
    return member.isfile() and not path.is_absolute() and ".." not in path.parts


def backup_restore(source: Path) -> dict[str, Any]:
    """Load an archive into an empty, migrated database and put the files back; check what came back."""
    call_command("migrate", interactive=False, verbosity=0)
    if not _is_fresh():
        raise ApplicationError(
            _("Restore needs an empty database. Create a new one and run the restore again."), code="precondition"
        )
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            raise ApplicationError(_("This backup has an unknown format."), code="invalid_file")
        ours = {f"{a}.{n}" for a, n in MigrationRecorder.Migration.objects.values_list("app", "name")}
        if missing := sorted(set(manifest["migrations"]) - ours):
            raise ApplicationError(
                _("This backup is newer than this installation (migration %(name)s is missing).")
                % {"name": missing[0]},
                code="invalid_file",
            )
        data = archive.extractfile("data.json").read().decode()  # type: ignore[union-attr]
        with transaction.atomic():
            for model in _models():  # rows seeded by migrations give way to the archive's own
                if model._meta.label_lower in manifest["rows"]:
                    model._base_manager.all().delete()
            deferred = []
            for obj in serializers.deserialize("python", json.loads(data), handle_forward_references=True):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            _reset_sequences()
            counts = {m._meta.label_lower: m._base_manager.count() for m in _models()}
            if {k: v for k, v in sorted(counts.items()) if v} != manifest["rows"]:
                raise ApplicationError(_("The restored rows do not match the backup's manifest."), code="invalid_file")
        for member in archive.getmembers():
            if member.name.startswith("media/") and _safe_member(member):
                name = member.name.removeprefix("media/")
                if default_storage.exists(name):
                    default_storage.delete(name)
                content = File(archive.extractfile(member), name=name)
                if default_storage.save(name, content) != name:
                    raise ApplicationError(_("A restored file could not keep its name."), code="invalid_file")
    restored = {name: _sha256(name) for name in _media_files()}
    if any(restored.get(name) != digest for name, digest in manifest["files"].items()):
        raise ApplicationError(_("A restored file differs from the backup."), code="invalid_file")
    return manifest


def _reset_sequences() -> None:
    """After loading explicit ids, PostgreSQL's sequences must continue behind them (no-op on SQLite)."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), _models()):
            cursor.execute(statement)
