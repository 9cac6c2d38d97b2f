"""The one way to e-mail an address outside the notification system: one recipient per message.

Who else receives a message can be confidential (the startups on a long list, the readers of a record), so
no message of the platform ever carries a second address in To, Cc or Bcc. Messages to people with an
account go through ``notifications`` (their language, their channel, their unsubscribe link); this is for
the rest (a scouted startup's contact address, a reader's reply address, an invitation, the weekly digest).
A test reads the source and refuses any other call of Django's mail functions.
"""

from django.core.mail import EmailMessage

from . import metrics


def send_to_one(*, to: str, subject: str, body: str) -> None:
    if not isinstance(to, str) or not to or "," in to or ";" in to:
        raise ValueError("send_to_one takes exactly one address")
    with metrics.email_sent("direct"):
        EmailMessage(subject=subject, body=body, to=[to]).send()
