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
