"""No message of the platform shows one recipient another's address (issue 17, D1).

Every e-mail leaves through ``notifications`` (one message per person) or ``core.mail.send_to_one``; this test
reads the source and refuses any other use of Django's mail functions, and checks that the helper itself
refuses a second address.
"""

import re
from pathlib import Path

import pytest

from lotsenhaus.core.mail import send_to_one

ROOT = Path(__file__).resolve().parent.parent / "lotsenhaus"
ALLOWED = {ROOT / "core" / "mail.py", ROOT / "notifications" / "services.py"}
# allauth's adapter method ``send_mail(template, email, context)`` takes exactly one address; calling it on the
# adapter (``self.`` or ``super().``) is allowed.
MAIL_CALLS = re.compile(
    r"(?<!self\.)(?<!super\(\)\.)(?<!def )"
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives)\b"
)


def test_nothing_but_the_two_gateways_sends_mail():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.py")
        if path not in ALLOWED and "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MAIL_CALLS.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("to", ["a@example.org, b@example.org", "a@example.org;b@example.org", ""])
def test_the_helper_refuses_more_than_one_address(to):
    with pytest.raises(ValueError):
        send_to_one(to=to, subject="S", body="B")


@pytest.mark.django_db
def test_the_whole_story_sends_every_message_to_one_person(django_capture_on_commit_callbacks):
    """Walk the story with every task run and every commit hook executed: need, long list, shared answer,
    evaluation, pilot, AI register with a reader's question and its answer, an event, a new member's
    invitation, the weekly digest. Every message that leaves has exactly one address, and none of them carries
    another startup's or member's address."""
    from django.core import mail

    from lotsenhaus.airegister import services as register
    from lotsenhaus.events import services as events
    from lotsenhaus.exploration import services as exploration
    from lotsenhaus.matching import services as matching
    from lotsenhaus.organisations import services as organisations
    from tests.pipeline import build_world, coming_event, evaluate, explore, published_use_case, run_pilot

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
        _exploration, candidates = explore(world)
        question = exploration.question_ask(actor=world.members[0], candidate=candidates[0], text="Testdaten?")
        exploration.question_answer(actor=world.coordinator, question=question, answer="Ja.")
        exploration.question_share(actor=world.coordinator, question=question)
        evaluate(world, candidates)
        run_pilot(world, candidates[0])
        use_case = published_use_case(world.authority, world.coordinator, "Übersetzer")
        item = register.reader_message_send(
            use_case=use_case, kind="question", message="Wie?", email="leser@example.org"
        )
        register.reader_message_answer(actor=world.coordinator, item=item, answer="So.")
        event = coming_event(world.coordinator)
        events.registration_create(actor=world.members[1], event=event)
        organisations.membership_add(
            actor=world.coordinator, organisation=world.authority, email="neu@bsw.example", name="Neu"
        )
        subscription = matching.digest_subscribe(actor=world.members[2])
        matching.digest_send(subscription_id=subscription.pk)
    assert len(mail.outbox) >= 5
    addresses = {p.contact_email for p in world.startups} | {m.email for m in world.members}
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc, message.subject
        others = {address for address in addresses - set(message.to) if address in message.body}
        assert not others, (message.subject, others)
