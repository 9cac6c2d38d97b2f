from django_tasks import task

from . import services


@task()
def embed_pending() -> int:
    """Embed every document whose text changed; a second run finds nothing left to do."""
    return services.embeddings_compute(limit=10_000)


@task()
def send_digest(subscription_id: int) -> int:
    return services.digest_send(subscription_id=subscription_id)


@task()
def reindex_all() -> dict[str, int]:
    counts = services.search_reindex()
    services.embeddings_compute(limit=10**9)
    return counts


@task()
def notify_matching_need(*, challenge_id: int, title: str) -> int:
    return services.matching_need_notify(challenge_id=challenge_id, title=title)
