import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from lotsenhaus.core.roles import Role
from lotsenhaus.organisations import services
from tests.factories import OrganisationFactory, make_person

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_the_invitation_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    coordinator = make_person(Role.COORDINATOR)
    services.membership_add(
        actor=coordinator, organisation=OrganisationFactory.create(), email="neu@amt.example", name="Neu", role="member"
    )
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    call_command("worker", batch=True)
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The same task run again (a retry after a crash) sends nothing.
    result = DBTaskResult.objects.get()
    assert services.membership_send_invitation(membership_id=result.args_kwargs["kwargs"]["membership_id"]) is False
    assert len(mail.outbox) == 1
