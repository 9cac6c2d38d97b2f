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
# allauth's adapter method ``self.send_mail(template, email, context)`` takes exactly one address; it is allowed.
MAIL_CALLS = re.compile(
    r"(?<!self\.)\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|EmailMultiAlternatives)\b"
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
