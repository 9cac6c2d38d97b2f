"""The transactional queue is not starved by bulk work (issue 17, D8)."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from lotsenhaus.matching.tasks import embed_pending, reindex_all
from lotsenhaus.notifications.tasks import send_notification_email

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_a_notification_queued_after_a_backlog_of_embeddings_runs_first():
    with override_settings(TASKS=DB_TASKS):
        for _ in range(20):
            embed_pending.enqueue()
        reindex_all.enqueue()
        send_notification_email.enqueue(notification_id=1)
        # The order in which a database worker takes the ready tasks:
        order = [row.task_path.rsplit(".", 1)[-1] for row in DBTaskResult.objects.ready()]
    assert order[0] == "send_notification_email"
    assert set(order[1:]) == {"embed_pending", "reindex_all"}


@pytest.mark.django_db(transaction=True)
def test_many_commits_that_change_texts_queue_one_embedding_task():
    """An import commits a slice after another; each would want the embeddings: one waiting task does them all."""
    from lotsenhaus.organisations.models import OrganisationKind
    from lotsenhaus.startups.models import StartupProfile
    from tests.factories import OrganisationFactory

    with override_settings(TASKS=DB_TASKS):
        for n in range(3):  # each save commits on its own and writes a new searchable text
            StartupProfile.objects.create(
                organisation=OrganisationFactory.create(kind=OrganisationKind.STARTUP),
                short_description=f"Texterkennung {n}",
            )
        waiting = DBTaskResult.objects.ready().filter(task_path="lotsenhaus.matching.tasks.embed_pending")
        assert waiting.count() == 1
