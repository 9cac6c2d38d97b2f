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
    # The startup is not told of its own answer as news, but gets a receipt for it (issue 17).
    keys = list(Notification.objects.filter(user=world.members[0], topic="answer").values_list("key", flat=True))
    assert keys and all(key.startswith("answer-receipt:") for key in keys)


def test_a_published_need_reaches_startups_whose_solutions_match(django_capture_on_commit_callbacks):
    from lotsenhaus.matching.services import matching_need_notify

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    matched = Notification.objects.filter(topic="matching_need", key=f"matching-need:{world.need.pk}")
    assert set(matched.values_list("user_id", flat=True)) == {m.pk for m in world.members}
    matching_need_notify(need_id=world.need.pk, title=world.need.title)  # the task retried
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


def test_the_new_startup_hears_what_it_waits_for(django_capture_on_commit_callbacks):
    """Issue 17, notifications: the unit when a startup registers; the startup when verified; a receipt for
    an answer, to the sender too."""
    from django.core import mail

    from lotsenhaus.needs import services as needs
    from lotsenhaus.notifications.models import Notification
    from lotsenhaus.startups import services as startups
    from tests.factories import make_person
    from tests.pipeline import build_world

    world = build_world()
    founder = make_person(None)
    with django_capture_on_commit_callbacks(execute=True):
        profile = startups.startup_register(actor=founder, name="Frischling GmbH", website="https://frischling.example")
    assert Notification.objects.filter(user=world.coordinator, key=f"startup-registered:{profile.pk}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        startups.startup_verify(actor=world.coordinator, profile=profile, decision="verified")
    assert Notification.objects.filter(user=founder, key__startswith=f"startup-verification:{profile.pk}:").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = needs.answer_save(actor=founder, need=world.need, approach="So lösen wir es.")
    receipt = Notification.objects.get(user=founder, key=f"answer-receipt:{answer.pk}")
    assert receipt.url.endswith("/antwort/") or "antwort" in receipt.url
    assert any(m.to == [founder.email] for m in mail.outbox)


def test_each_step_of_the_pipeline_tells_who_waits_for_it(django_capture_on_commit_callbacks):
    """Issue 17, notification matrix: a candidate's question reaches the unit; shortlisted and excluded startups
    hear so (and only they); a juror's submission reaches the unit; the pilot startup hears of start and
    decision; AI register approvers hear of a submission and editors of the publication."""
    from lotsenhaus.exploration import services as exploration
    from lotsenhaus.pilots import services as pilots
    from tests.pipeline import published_use_case

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        _exploration, candidates = explore(world)
        first, second, excluded = candidates
        exploration.question_ask(actor=world.members[0], candidate=first, text="Testdaten?")
        evaluate(world, candidates)
        pilot = run_pilot(world, first)
        pilots.pilot_decide(actor=world.coordinator, pilot=pilot, decision="adopt", reasons="Ziel erreicht.")
        use_case = published_use_case(world.authority, world.coordinator, "Übersetzer")

    def keys(user, prefix):
        return list(Notification.objects.filter(user=user, key__startswith=prefix).values_list("key", flat=True))

    assert keys(world.coordinator, "question:")
    member_of = {c.pk: [m for m in world.members if m.memberships.filter(organisation=c.startup.organisation).exists()]
                 for c in candidates}  # fmt: skip
    assert keys(member_of[first.pk][0], f"candidate-status:{first.pk}:shortlist")
    assert keys(member_of[excluded.pk][0], f"candidate-status:{excluded.pk}:excluded")
    assert not keys(member_of[second.pk][0], f"candidate-status:{first.pk}")  # only the startup itself
    assert keys(world.coordinator, "evaluation-submitted:")
    assert keys(member_of[first.pk][0], f"pilot-start:{pilot.pk}") and keys(member_of[first.pk][0], "pilot-decision:")
    assert keys(use_case.submitted_by, f"usecase-publish:{use_case.pk}")
