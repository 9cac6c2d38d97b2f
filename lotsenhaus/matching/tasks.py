from django_tasks import task

from . import selectors, services

# Bulk work runs behind everything people wait for (issue 17, D8): the database worker takes the highest
# priority first, and embedding works in slices that queue their own continuation, so a notification e-mail
# never waits behind a whole import's embeddings, even with a single worker.
BULK_PRIORITY = -50
EMBED_SLICE = 256


@task(priority=BULK_PRIORITY)
def embed_pending() -> int:
    """Embed one slice of the documents whose text changed and queue the next slice if any remain; a second run
    finds nothing left to do."""
    done = services.embeddings_compute(limit=EMBED_SLICE)
    if done == EMBED_SLICE and selectors.pending_embeddings().exists():
        embed_pending.enqueue()
    return done


@task()
def send_digest(subscription_id: int) -> int:
    return services.digest_send(subscription_id=subscription_id)


@task(priority=BULK_PRIORITY)
def reindex_all() -> dict[str, int]:
    counts = services.search_reindex()
    services.embeddings_compute(limit=10**9)
    return counts


@task()
def notify_matching_need(*, need_id: int, title: str) -> int:
    return services.matching_need_notify(need_id=need_id, title=title)
