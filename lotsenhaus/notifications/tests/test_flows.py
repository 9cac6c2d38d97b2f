"""The events that matter to each role reach them as notifications."""

import pytest

from lotsenhaus.notifications.models import Notification
from tests.pipeline import build_world, evaluate, explore, run_pilot

pytestmark = pytest.mark.django_db


def _titles(user):
    return list(Notification.objects.filter(user=user).values_list("topic", "title"))


def test_state_changes_and_answers_reach_the_authority_and_the_unit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    owner_topics = {topic for topic, _title in _titles(world.owner)}
    assert {"need_status", "answer"} <= owner_topics
    assert any("Antwort" in title or "answer" in title.lower() for _t, title in _titles(world.coordinator))
    assert not any(topic == "answer" for topic, _ in _titles(world.members[0]))  # not told of its own answer


def test_a_published_need_reaches_startups_whose_solutions_match(django_capture_on_commit_callbacks):
    from lotsenhaus.matching.services import matching_need_notify

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    matched = Notification.objects.filter(topic="matching_need", key=f"matching-need:{world.need.pk}")
    assert set(matched.values_list("user_id", flat=True)) == {m.pk for m in world.members}
    matching_need_notify(challenge_id=world.need.pk, title=world.need.title)  # the task retried
    assert matched.count() == len(world.members)
    assert not Notification.objects.filter(topic="matching_need", user=world.owner).exists()


def test_jurors_and_a_decided_pilot_ask_for_action(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        _exploration, candidates = explore(world)
        evaluate(world, candidates)
        pilot = run_pilot(world, candidates[0])
    assert Notification.objects.filter(user=world.expert, topic="evaluation").exists()
    from lotsenhaus.pilots import services as pilots

    with django_capture_on_commit_callbacks(execute=True):
        pilots.pilot_decide(actor=world.coordinator, pilot=pilot, decision="end", reasons="Ziel nicht erreicht")
    ask = Notification.objects.get(user=world.owner, key=f"pilot-lessons:{pilot.pk}")
    assert ask.topic == "knowledge" and ask.url.startswith(f"/piloten/{pilot.pk}/")
    page = world.client(world.owner).get(f"/piloten/{pilot.pk}/").content.decode()
    assert f"/wissen/neu/?pilot={pilot.pk}" in page
    form = world.client(world.owner).get(f"/wissen/neu/?pilot={pilot.pk}").content.decode()
    assert "Lessons Learned" in form and "Ziel nicht erreicht" in form
