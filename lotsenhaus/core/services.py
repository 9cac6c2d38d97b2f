import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lotsenhaus.core.actors import Actor

from . import audit_actions, throttle
from .audit import audit
from .models import AccessibilityFeedback, StoredDocument

logger = logging.getLogger(__name__)


@transaction.atomic
def feedback_submit(
    *, actor: Actor, name: str, email: str, page_url: str, message: str, client_ip: str = ""
) -> AccessibilityFeedback:
    """Store a barrier report; anyone may send one, signed in or not (limited per sender address)."""
    throttle.refuse_over("feedback-ip", client_ip or "unknown", settings.LOTSENHAUS_FEEDBACK_RATE)
    feedback = AccessibilityFeedback.objects.create(
        name=name,
        email=email,
        page_url=page_url,
        message=message,
        user_id=actor.pk if actor.is_authenticated else None,
    )
    audit(actor=actor, action=audit_actions.ACCESSIBILITY_FEEDBACK_SUBMIT, obj=feedback)
    return feedback


@transaction.atomic
def document_store(
    *,
    actor: Actor,
    kind: str,
    action: str,
    obj: models.Model,
    title: str,
    build: Callable[[int], dict[str, bytes]],
    slug: str,
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
        created_by_id=actor.pk,
    )
    files = build(document.version)
    for fmt, content in files.items():
        name = f"{slug}-v{document.version}.{fmt}"
        getattr(document, fmt).save(name, ContentFile(content), save=False)
        setattr(document, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
    document.save()
    audit(
        actor=actor,
        action=action,
        obj=obj,
        changes={"version": [latest, document.version], "sha256": {f: getattr(document, f"{f}_sha256") for f in files}},
    )
    return document


def task_enqueue_once(task: Any) -> None:
    """Queue a task that takes no arguments unless the database queue holds one waiting already: a bulk import
    commits hundreds of slices, each of which wants the embeddings computed, and one waiting task does them all
    (a run while another one is going is fine: it finds what is left)."""
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
        if waiting.exists():
            return
    task.enqueue()


@transaction.atomic
def tasks_requeue_stale(*, older_than: datetime.timedelta) -> int:
    """Put tasks back in the queue whose worker died while running them (SIGKILL, power loss, OOM).

    The database queue marks a task RUNNING when a worker takes it and never looks at it again if that worker
    disappears. Every task of ours is safe to run twice, so a task running for longer than any task takes is
    handed to the next free worker. Rows are locked, so two workers starting at once requeue each task once.
    """
    stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    ids = list(stale.values_list("id", flat=True))
    if ids:
        DBTaskResult.objects.filter(id__in=ids).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("Requeued %d task(s) whose worker stopped while running them.", len(ids))
    return len(ids)
