"""Several entries of the long list at once (issue 17): short list, exclusion with one reason, and a message that
reaches each startup on its own."""

import pytest
from django.core import mail
from django.urls import reverse

from lotsenhaus.exploration import services
from lotsenhaus.exploration.models import Candidate
from lotsenhaus.notifications.models import Notification
from tests.pipeline import build_world

pytestmark = pytest.mark.django_db


def _started(world):
    exploration = services.exploration_start(actor=world.coordinator, need=world.need)
    services.candidate_add(actor=world.coordinator, exploration=exploration, startup=world.startups[2])
    return exploration, list(exploration.candidates.order_by("pk"))


def test_shortlist_and_exclude_several_with_one_reason():
    world = build_world()
    _exploration, (a, b, c) = _started(world)
    url = reverse("exploration:workspace", args=[world.need.pk])
    client = world.client(world.coordinator)
    client.post(url, {"form": "bulk", "bulk-ids": [a.pk, b.pk], "bulk-action": "shortlist"})
    assert set(Candidate.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"shortlist"}
    # An exclusion without a reason is refused with the choice kept, nothing changes.
    response = client.post(url, {"form": "bulk", "bulk-ids": [c.pk], "bulk-action": "exclude"})
    assert response.status_code == 422 and response.context["chosen_ids"] == [str(c.pk)]
    c.refresh_from_db()
    assert c.status == "open"
    client.post(url, {"form": "bulk", "bulk-ids": [c.pk], "bulk-action": "exclude", "bulk-reason": "Kein EU-Hosting"})
    c.refresh_from_db()
    assert c.status == "excluded" and c.exclusion_reason == "Kein EU-Hosting"
    # Each startup was told on its own, without the internal reason.
    told = Notification.objects.filter(user=world.members[2], topic="exploration")
    assert told.count() == 1 and "EU-Hosting" not in told.get().body


def test_a_message_reaches_each_startup_alone(django_capture_on_commit_callbacks):
    world = build_world()
    _exploration, (a, b, _c) = _started(world)
    url = reverse("exploration:workspace", args=[world.need.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(world.coordinator).post(
            url,
            {
                "form": "bulk",
                "bulk-ids": [a.pk, b.pk],
                "bulk-action": "message",
                "bulk-subject": "Termin",
                "bulk-text": "Bitte nennen Sie uns einen Termin.",
            },
        )
    assert response.status_code == 302
    assert Notification.objects.filter(user__in=world.members[:2], topic="exploration").count() == 2
    assert not Notification.objects.filter(user=world.members[2]).exists()
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
    assert {m.to[0] for m in mail.outbox} == {world.members[0].email, world.members[1].email}


def test_only_the_unit_may_act_on_the_long_list():
    world = build_world()
    _exploration, (a, _b, _c) = _started(world)
    url = reverse("exploration:workspace", args=[world.need.pk])
    response = world.client(world.owner).post(url, {"form": "bulk", "bulk-ids": [a.pk], "bulk-action": "shortlist"})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status != "shortlist"
