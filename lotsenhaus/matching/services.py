"""Every write to the search index: documents follow their objects, embeddings follow documents."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core.audit import audit
from lotsenhaus.core.exceptions import ApplicationError
from lotsenhaus.core.mail import send_to_one
from lotsenhaus.core.services import task_enqueue_once
from lotsenhaus.matching.encoders import default_encoder, text_hash
from lotsenhaus.matching.models import DigestDelivery, DigestSubscription, SearchDocument
from lotsenhaus.matching.pipeline import document_terms, passage_text
from lotsenhaus.matching.registry import DIGEST, SOURCES
from lotsenhaus.matching.selectors import matches_need, needs_for_digest, pending_embeddings
from lotsenhaus.notifications.models import Topic
from lotsenhaus.notifications.services import notifications_send
from lotsenhaus.organisations.selectors import people_of

from . import audit_actions

EMBED_BATCH = 16
SYNCED_FIELDS = ["title", "text", "language", "terms", "facets", "deleted", "updated_at", "content_hash", "revision"]
CONTENT_FIELDS = ["title", "text", "language", "terms", "facets", "deleted", "content_hash"]
TOMBSTONE_DAYS = 1


def _schedule_embedding() -> None:
    from lotsenhaus.matching.tasks import embed_pending

    transaction.on_commit(lambda: task_enqueue_once(embed_pending), robust=True)


@transaction.atomic
def search_documents_sync(*, keys: Iterable[tuple[str, int]]) -> int:
    """Bring the documents of these objects up to date in this transaction; gone objects leave a tombstone."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in keys:
        if kind in SOURCES:
            by_kind[kind].add(int(object_id))
    model_id = default_encoder().model_id
    now = timezone.now()
    changed_content = False
    written = 0
    inserts: list[SearchDocument] = []
    updates: list[SearchDocument] = []
    for kind, ids in by_kind.items():
        documents = {d.object_id: d for d in SOURCES[kind].build(sorted(ids))}
        existing = {d.object_id: d for d in SearchDocument.objects.filter(kind=kind, object_id__in=ids)}
        for object_id in sorted(ids):
            document = documents.get(object_id)
            row = existing.get(object_id)
            if document is None:
                if row is not None and not row.deleted:
                    row.deleted = True
                    row.updated_at = now
                    row.revision += 1
                    row.save(update_fields=["deleted", "updated_at", "revision"])
                    written += 1
                continue
            language, terms = document_terms(document.title, document.text)
            content_hash = text_hash(model_id, passage_text(document.title, document.text))
            if row is None:
                # A new row's revisions start anywhere, so that a key used again after its tombstone was purged does
                # not repeat the revision a worker still holds for it.
                row = SearchDocument(
                    key=document.key, kind=kind, object_id=object_id, revision=secrets.randbelow(10**9)
                )
            before = [getattr(row, field) for field in CONTENT_FIELDS]
            row.title = document.title[:300]
            row.text = document.text
            row.language = language
            row.terms = dict(terms)
            row.facets = document.facets
            row.deleted = False
            if row.content_hash != content_hash:
                row.content_hash = content_hash
                changed_content = True
            if row.pk is not None and [getattr(row, field) for field in CONTENT_FIELDS] == before:
                # Unchanged (a reindex, an edit of a field the index does not hold): no write, so that no worker
                # re-reads it – a reindex of an unchanged world touches nothing.
                continue
            row.updated_at = now
            row.revision += 1
            (inserts if row.pk is None else updates).append(row)
            written += 1
    # In bulk: a list import brings hundreds of documents at once (one statement per batch, not per document).
    SearchDocument.objects.bulk_create(inserts, batch_size=500)
    SearchDocument.objects.bulk_update(updates, SYNCED_FIELDS, batch_size=200)
    if changed_content:
        _schedule_embedding()
    return written


def embeddings_compute(*, limit: int = 256, on_batch: Callable[[int], None] | None = None) -> int:
    """Embed documents whose text changed; safe to run twice or in parallel (a stale result is not written)."""
    encoder = default_encoder()
    done = 0
    while done < limit:
        pending = list(
            pending_embeddings()
            .order_by("pk")
            .values_list("pk", "title", "text", "content_hash")[: min(EMBED_BATCH, limit - done)]
        )
        if not pending:
            break
        vectors = encoder.passages([passage_text(title, text) for _pk, title, text, _h in pending])
        for (pk, _title, _text, content_hash), vector in zip(pending, vectors, strict=True):
            _embedding_store(pk, content_hash, vector)
        done += len(pending)
        if on_batch:
            on_batch(len(pending))
    return done


def embeddings_import(*, vectors: Mapping[str, Any]) -> int:
    """Take embeddings computed elsewhere – the demo world's, shipped with it – for the documents whose exact text
    they were computed from (keyed by ``content_hash``: model and text); any other document waits for the worker.
    Returns how many documents got one."""
    taken = 0
    for pk, content_hash in pending_embeddings().values_list("pk", "content_hash"):
        vector = vectors.get(content_hash)
        if vector is None:
            continue
        taken += _embedding_store(pk, content_hash, vector)
    return taken


def _embedding_store(pk: int, content_hash: str, vector: Any) -> int:
    """Write a document's embedding only if its text is still the one embedded (1), else nothing (0): a text
    changed meanwhile keeps waiting for its own embedding."""
    return SearchDocument.objects.filter(pk=pk, content_hash=content_hash).update(
        embedding=np.asarray(vector, dtype=np.float32).tobytes(),
        embedding_hash=content_hash,
        updated_at=timezone.now(),
        revision=F("revision") + 1,
    )


def embeddings_export() -> dict[str, Any]:
    """Every current embedding by the hash of its text (to ship a prepared world's with it)."""
    rows = SearchDocument.objects.filter(deleted=False, embedding_hash=F("content_hash")).values_list(
        "content_hash", "embedding"
    )
    return {content_hash: np.frombuffer(bytes(embedding or b""), dtype=np.float32) for content_hash, embedding in rows}


def search_reindex(
    *, actor: User | None = None, embed: bool = True, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Rebuild every document from its object (embeddings of unchanged texts are kept) and purge old tombstones."""
    counts: dict[str, int] = {}
    for kind, source in SOURCES.items():
        ids = list(source.all_ids())
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            search_documents_sync(keys=[(kind, i) for i in chunk])
            if progress:
                progress(kind, min(start + 200, len(ids)), len(ids))
        known = set(ids)
        stale = SearchDocument.objects.filter(kind=kind, deleted=False).exclude(object_id__in=known)
        stale.update(deleted=True, updated_at=timezone.now(), revision=F("revision") + 1)
        counts[kind] = len(ids)
    # Documents of kinds no longer registered (an app removed) leave tombstones too.
    SearchDocument.objects.exclude(kind__in=list(SOURCES)).filter(deleted=False).update(
        deleted=True, updated_at=timezone.now(), revision=F("revision") + 1
    )
    cutoff = timezone.now() - timedelta(days=TOMBSTONE_DAYS)
    SearchDocument.objects.filter(deleted=True, updated_at__lt=cutoff).delete()
    if actor is not None:
        with transaction.atomic():
            audit(actor=actor, action=audit_actions.SEARCH_REINDEX, obj=None, changes={"counts": counts})
    return counts


# -- weekly digest --------------------------------------------------------------------------------------------


@transaction.atomic
def digest_subscribe(*, actor: User) -> DigestSubscription:
    """Opt in to the weekly e-mail of matching needs (verified startups only)."""
    profile = DIGEST.own_profile(actor)
    if profile is None or not profile.is_verified:
        raise ApplicationError(
            _("Only members of a verified startup can subscribe to the weekly e-mail."), code="not_allowed"
        )
    subscription, _created = DigestSubscription.objects.get_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not subscription.active:
        subscription.active = True
        subscription.save(update_fields=["active"])
    audit(actor=actor, action=audit_actions.DIGEST_SUBSCRIBE, obj=subscription)
    return subscription


@transaction.atomic
def digest_unsubscribe(*, token: str) -> DigestSubscription:
    """Unsubscribe by the link in the e-mail (no sign-in needed; the token is the proof)."""
    subscription = DigestSubscription.objects.select_for_update().filter(token=token).first()
    if subscription is None:
        raise ApplicationError(_("This unsubscribe link is not valid."), code="invalid_link")
    if subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active"])
        audit(actor=subscription.user, action=audit_actions.DIGEST_UNSUBSCRIBE, obj=subscription)
    return subscription


def iso_week(moment: Any) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def digest_send(*, subscription_id: int, now: Any = None) -> int:
    """Send this week's digest once: the delivery row is written before the mail, in one transaction."""
    now = now or timezone.now()
    week = iso_week(now)
    with transaction.atomic():
        subscription = (
            DigestSubscription.objects.select_for_update().select_related("user").filter(pk=subscription_id).first()
        )
        if subscription is None or not subscription.active:
            return 0
        if DigestDelivery.objects.filter(subscription=subscription, week=week).exists():
            return 0
        since = subscription.last_sent_at or (now - timedelta(days=7))
        needs = needs_for_digest(user=subscription.user, since=since)
        DigestDelivery.objects.create(subscription=subscription, week=week, need_count=len(needs))
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        if not needs:
            return 0
        base = settings.LOTSENHAUS_BASE_URL.rstrip("/")
        context = {
            "user": subscription.user,
            "needs": needs,
            "base": base,
            "unsubscribe": base + reverse("matching:unsubscribe", args=[subscription.token]),
        }
        with translation.override("de"):
            body = render_to_string("matching/email/digest.txt", context)
            subject = str(translation.gettext("New needs that match your solutions"))
        recipient = subscription.user.email
        transaction.on_commit(lambda: send_to_one(to=recipient, subject=subject, body=body))
    return len(needs)


@transaction.atomic
def matching_need_notify(*, need_id: int, title: str) -> int:
    """Tell the members of every verified startup whose solutions match a newly published need (once each)."""
    notified = 0
    for profile in DIGEST.verified_profiles():
        members = list(people_of(organisation_ids=[profile.organisation_id]))
        solutions = list(profile.solutions.all())
        if not members or not solutions or not matches_need(user=members[0], solutions=solutions, need_id=need_id):
            continue
        notified += notifications_send(
            recipients=members,
            topic=Topic.MATCHING_NEED,
            title=lambda: _("A new need matches your solutions: %(title)s") % {"title": title},
            url=reverse("needs:detail", args=[need_id]),
            key=f"matching-need:{need_id}",
        )
    return notified


def digest_due() -> list[int]:
    return list(DigestSubscription.objects.filter(active=True).values_list("pk", flat=True))


def search_reindex_request(*, actor: User, task: Any) -> None:
    """Audit who asked for a rebuild and hand it to the task worker (it can take minutes)."""
    with transaction.atomic():
        audit(actor=actor, action=audit_actions.SEARCH_REINDEX_REQUESTED, obj=None)
        transaction.on_commit(lambda: task.enqueue())
