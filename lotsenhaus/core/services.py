import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction

from .audit import audit
from .models import AccessibilityFeedback, StoredDocument


@transaction.atomic
def feedback_submit(*, actor: Any, name: str, email: str, page_url: str, message: str) -> AccessibilityFeedback:
    """Store a barrier report; anyone may send one, signed in or not."""
    feedback = AccessibilityFeedback.objects.create(
        name=name,
        email=email,
        page_url=page_url,
        message=message,
        user=actor if actor.is_authenticated else None,
    )
    audit(actor=actor, action="accessibility_feedback.submit", obj=feedback)
    return feedback


@transaction.atomic
def document_store(
    *, actor: Any, kind: str, obj: models.Model, title: str, build: Callable[[int], dict[str, bytes]], slug: str
) -> StoredDocument:
    """Store a newly generated document as the next version for ``obj``; older versions stay as they were.

    ``build`` gets the version number (it belongs in the document's footer) and returns the files by format.
    """
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    # Lock the object's row so two clicks at once cannot both become the same version.
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    latest = (
        StoredDocument.objects.filter(kind=kind, object_type=object_type, object_id=object_id)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    document = StoredDocument(
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        version=(latest or 0) + 1,
        title=title,
        created_by=actor,
    )
    files = build(document.version)
    for fmt, content in files.items():
        name = f"{slug}-v{document.version}.{fmt}"
        getattr(document, fmt).save(name, ContentFile(content), save=False)
        setattr(document, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
    document.save()
    audit(
        actor=actor,
        action=f"{kind}.generate",
        obj=obj,
        changes={"version": [latest, document.version], "sha256": {f: getattr(document, f"{f}_sha256") for f in files}},
    )
    return document
