"""File storage for uploads and generated documents: a full disk is a clear refusal, not a crash."""

import errno
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from .exceptions import ApplicationError

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


class LocalStorage(FileSystemStorage):
    """Django's file system storage; when the disk (or quota) is full, the partial file is removed and the
    service that saves it gets an ``ApplicationError``, so its transaction rolls back and the person is told."""

    def _save(self, name: str, content: Any) -> str:
        try:
            return super()._save(name, content)  # type: ignore[misc]  # untyped in django-stubs
        except OSError as error:
            if error.errno not in _NO_SPACE:
                raise
            if self.exists(name):
                self.delete(name)
            raise ApplicationError(
                _("The file could not be stored because the server has no space left. Please try again later."),
                code="unavailable",
            ) from error


class ObjectStorage(S3Storage):
    """An S3-compatible object store (AWS, MinIO, SeaweedFS, Ceph, a city's own). Objects are private: no ACL is
    set, and the application streams every download itself after its permission check, so no address of the
    store ever reaches a browser. Names never overwrite: a second upload with the same name gets a new one."""

    default_acl = None
    querystring_auth = True


def download_name(name: str, extension: str) -> str:
    """A file name to offer for download: no folders, no control characters, and the extension of the type
    that was verified (``evil.html`` that is a PDF downloads as ``evil.pdf``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'datei'}.{extension}"
