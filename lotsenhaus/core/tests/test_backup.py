"""Backup and restore round trip: everything comes back, nothing else – on SQLite, and on PostgreSQL when the
suite runs there. Runs the real commands in their own processes against fresh databases."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
LOTSENHAUS = str(Path(sys.executable).parent / "lotsenhaus")

FILL = """
from django.core.files.base import ContentFile
from lotsenhaus.core.services import document_store
from lotsenhaus.exploration.audit_actions import EXPLORATION_REPORT_GENERATE
from tests.pipeline import build_world, explore
from lotsenhaus.knowledge import services as knowledge
world = build_world()
exploration, _ = explore(world)
document_store(actor=world.coordinator, kind="report", action=EXPLORATION_REPORT_GENERATE, obj=exploration,
               title="Bericht", slug="bericht",
               build=lambda version: {"pdf": b"%PDF-1.4 Sicherung " + str(version).encode()})
article = knowledge.article_create(actor=world.owner, kind="guide", title="Leitfaden", body="Text", visibility="public")
knowledge.article_submit(actor=world.owner, article=article)
knowledge.article_publish(actor=world.coordinator, article=article)
"""


def _databases(tmp_path: Path) -> list[str]:
    url = settings.DATABASES["default"]
    if url["ENGINE"].endswith("sqlite3"):
        return [f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"]
    import psycopg

    names = [f"backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = f"host={url['HOST']} port={url['PORT']} user={url['USER']} dbname=postgres"
    if url.get("PASSWORD"):
        admin += f" password={url['PASSWORD']}"
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    auth = url["USER"] + (f":{url['PASSWORD']}" if url.get("PASSWORD") else "")
    return [f"postgres://{auth}@{url['HOST']}:{url['PORT']}/{name}" for name in names]


def _run(database: str, var: Path, *args: str, store: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database, "LOTSENHAUS_VAR_DIR": str(var), "PYTHONPATH": str(ROOT)}
    env.update(store or {})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([LOTSENHAUS, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def _content(archive: Path) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        data = json.loads(tar.extractfile("data.json").read())
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.name.startswith("media/")}
    return manifest, data, files


def test_backup_and_restore_bring_back_everything_and_nothing_else(tmp_path):
    first, second = _databases(tmp_path)
    var_a, var_b = tmp_path / "var-a", tmp_path / "var-b"
    assert _run(first, var_a, "migrate", "--verbosity", "0").returncode == 0
    filled = _run(first, var_a, "shell", "-c", FILL)
    assert filled.returncode == 0, filled.stderr[-2000:]
    archive, again = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    assert _run(first, var_a, "backup", str(archive)).returncode == 0
    _restore_and_compare(second, var_b, archive, again)


def test_backup_and_restore_through_the_object_store(tmp_path, object_store):
    """The same round trip with uploads and backups in a real S3-compatible store (SeaweedFS): the archive is
    written into the first installation's bucket, copied as an operator would, restored by its name there."""
    first, second = _databases(tmp_path)
    store_a, store_b = object_store.env(object_store.new_bucket()), object_store.env(object_store.new_bucket())
    var_a, var_b = tmp_path / "var-a", tmp_path / "var-b"
    assert _run(first, var_a, "migrate", "--verbosity", "0", store=store_a).returncode == 0
    filled = _run(first, var_a, "shell", "-c", FILL, store=store_a)
    assert filled.returncode == 0, filled.stderr[-2000:]
    written = _run(first, var_a, "backup", store=store_a)
    assert written.returncode == 0 and "Objektspeicher" in written.stdout, written.stderr[-2000:]
    (key,) = [k for k in object_store.keys(store_a["LOTSENHAUS_S3_BUCKET"]) if k.startswith("backups/")]
    assert any(k.startswith("media/") for k in object_store.keys(store_a["LOTSENHAUS_S3_BUCKET"]))
    assert not (var_a / "media").exists() and not (var_a / "backups").exists()
    s3 = object_store.client()
    source = {"Bucket": store_a["LOTSENHAUS_S3_BUCKET"], "Key": key}
    s3.copy_object(CopySource=source, Bucket=store_b["LOTSENHAUS_S3_BUCKET"], Key=key)
    archive = tmp_path / "a.tar.gz"
    s3.download_file(store_a["LOTSENHAUS_S3_BUCKET"], key, str(archive))
    _restore_and_compare(
        second, var_b, archive, tmp_path / "b.tar.gz", store=store_b, name=key.removeprefix("backups/")
    )
    assert any(k.startswith("media/") for k in object_store.keys(store_b["LOTSENHAUS_S3_BUCKET"]))
    assert not (var_b / "media").exists()


def _restore_and_compare(
    second: str, var_b: Path, archive: Path, again: Path, *, store: dict[str, Any] | None = None, name: str = ""
) -> None:
    restored = _run(second, var_b, "restore", name or str(archive), store=store)
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert _run(second, var_b, "backup", str(again), store=store).returncode == 0
    manifest, data, files = _content(archive)
    manifest_b, data_b, files_b = _content(again)
    assert manifest["rows"]["knowledge.article"] == 1 and manifest["rows"]["core.auditentry"] > 10
    assert files and files == files_b  # the uploaded documents, byte for byte
    assert manifest["rows"] == manifest_b["rows"] and manifest["files"] == manifest_b["files"]
    assert data == data_b  # every row with every field, ids included
    refused = _run(second, var_b, "restore", str(archive), store=store)
    assert refused.returncode != 0 and "leere Datenbank" in refused.stderr
    use = (
        "from lotsenhaus.accounts.models import User; from lotsenhaus.core.audit import audit; "
        "from lotsenhaus.accounts.audit_actions import USER_CREATE; "
        "user = User.objects.create_user('neu@example.org'); audit(actor=user, action=USER_CREATE, obj=user)"
    )
    works = _run(second, var_b, "shell", "-c", use, store=store)
    assert works.returncode == 0, works.stderr[-2000:]  # sequences and rows usable after the restore
