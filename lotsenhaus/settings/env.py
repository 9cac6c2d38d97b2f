"""Small helpers to read typed settings from the environment (12-factor)."""

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_map(name: str) -> dict[str, str]:
    """Parse ``a=b,c=d`` into a dict; used for claim-to-role maps."""
    result: dict[str, str] = {}
    for item in env_list(name):
        key, sep, value = item.partition("=")
        if not sep:
            raise ImproperlyConfigured(f"{name}: expected key=value, got {item!r}")
        result[key.strip()] = value.strip()
    return result


def embedded_secret_key(var_dir: Path) -> str:
    """Generate the key once and keep it in ``var/`` so an embedded install survives restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    path.chmod(0o600)
    return key


def object_storages(s3: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The file storages on an S3-compatible store: uploads and documents under media/, backups under backups/,
    in one bucket (``s3``: bucket_name, endpoint_url, access_key, secret_key, region_name)."""
    options = {**s3, "addressing_style": "path", "signature_version": "s3v4", "file_overwrite": False}
    backend = "lotsenhaus.core.storage.ObjectStorage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**options, "location": "media"}},
        "backups": {"BACKEND": backend, "OPTIONS": {**options, "location": "backups"}},
    }
