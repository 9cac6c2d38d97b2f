"""Every write to notifications. Other apps call ``notifications_send``; e-mail follows each person's choice."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lotsenhaus.accounts.models import User
from lotsenhaus.core import metrics
from lotsenhaus.core.audit import audit
from lotsenhaus.core.exceptions import ApplicationError

from . import audit_actions, selectors
from .models import Frequency, Notification, Preference, Topic

UNSUBSCRIBE_SALT = "lotsenhaus.notifications.unsubscribe"
ALL_TOPICS = "*"
Text = str | Callable[[], str]


def _invalid_link() -> str:
    return _("This unsubscribe link is not valid. Please change your settings after signing in.")


def unsubscribe_token(user_id: int, topic: str) -> str:
    """A signed link token: it names the person and topic, so the link works without signing in."""
    return signing.dumps([user_id, topic], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, topic: str) -> str:
    return settings.LOTSENHAUS_BASE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, topic)])


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        user_id, topic = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ApplicationError(_invalid_link(), code="invalid_link") from exc
    if topic != ALL_TOPICS and topic not in Topic.values:
        raise ApplicationError(_invalid_link(), code="invalid_link")
    return int(user_id), topic


@transaction.atomic
def notifications_send(
    *,
    recipients: Iterable[Any],
    topic: str,
    title: Text,
    key: str,
    body: Text = "",
    url: str = "",
    actor: User | None = None,
) -> int:
    """Create one notification per recipient (never for the actor themself) and queue immediate e-mails.

    The same ``key`` for the same person adds nothing: callers retried by a task runner stay harmless.
    Title and body may be callables: they are then written in the platform's language, whoever triggered
    the notification and in whichever language their page was.
    """
    with translation.override(settings.LANGUAGE_CODE):
        title = title() if callable(title) else title
        body = body() if callable(body) else body
    users = {
        u.pk: u
        for u in recipients
        if u is not None and u.is_active and not u.is_service_account and (actor is None or u.pk != actor.pk)
    }
    if not users:
        return 0
    chosen = selectors.frequencies_for(user_ids=list(users), topic=topic)
    rows = [
        Notification(
            user_id=pk,
            topic=topic,
            title=title[:300],
            body=body,
            url=url,
            key=key[:200],
            email=chosen.get(pk, Frequency.IMMEDIATELY),
        )
        for pk in users
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    immediate = list(
        Notification.objects.filter(
            user_id__in=list(users), key=key[:200], email=Frequency.IMMEDIATELY, emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if immediate:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: [send_notification_email.enqueue(notification_id=pk) for pk in immediate])
    return len(users)


# Apps that send a file with a notification's e-mail (an event's calendar entry) register a builder for the
# keys they use; the builder gets the key and returns (file name, content, MIME type) or None.
AttachmentBuilder = Callable[[str], tuple[str, bytes, str] | None]
_ATTACHMENTS: dict[str, AttachmentBuilder] = {}


def register_attachment(prefix: str, build: AttachmentBuilder) -> None:
    _ATTACHMENTS[prefix] = build


def _attachments(key: str) -> list[tuple[str, bytes, str]]:
    files = [build(key) for prefix, build in _ATTACHMENTS.items() if key.startswith(prefix)]
    return [f for f in files if f is not None]


def _message(user: User, subject: str, template: str, context: dict[str, Any], topic: str) -> EmailMessage:
    unsubscribe = unsubscribe_url(user.pk, topic)
    context = {
        **context,
        "user": user,
        "base_url": settings.LOTSENHAUS_BASE_URL,
        "settings_url": settings.LOTSENHAUS_BASE_URL + reverse("notifications:preferences"),
        "unsubscribe_url": unsubscribe,
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Send one immediate e-mail; the row lock and ``emailed_at`` in one transaction keep it to one e-mail."""
    item = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=notification_id, email=Frequency.IMMEDIATELY, emailed_at__isnull=True)
        .first()
    )
    if item is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        message = _message(
            item.user,
            _("[Lotsenhaus] %(title)s") % {"title": item.title},
            "notifications/email/single.txt",
            {"item": item},
            item.topic,
        )
        for name, content, mimetype in _attachments(item.key):
            message.attach(name, content, mimetype)
        with metrics.email_sent("notification"):
            message.send()
    item.emailed_at = timezone.now()
    item.save(update_fields=["emailed_at"])
    return True


@transaction.atomic
def digest_send(*, user_id: int, frequency: str) -> int:
    """One e-mail with everything this person collected for the daily or weekly digest (safe to run twice)."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ApplicationError(_("Only daily and weekly digests exist."), code="invalid_value")
    items = list(
        Notification.objects.select_for_update()
        .filter(user_id=user_id, email=frequency, emailed_at__isnull=True)
        .order_by("created_at", "id")
    )
    if not items:
        return 0
    user = get_user_model().objects.get(pk=user_id)
    if user.is_active:
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                _("[Lotsenhaus] Your daily digest: %(count)s new")
                if frequency == Frequency.DAILY
                else _("[Lotsenhaus] Your weekly digest: %(count)s new")
            ) % {"count": len(items)}
            with metrics.email_sent("digest"):
                _message(user, subject, "notifications/email/digest.txt", {"items": items}, ALL_TOPICS).send()
    Notification.objects.filter(pk__in=[i.pk for i in items]).update(emailed_at=timezone.now())
    return len(items)


@transaction.atomic
def notification_read(*, actor: User, notification: Notification) -> Notification:
    if notification.user_id != actor.pk:
        raise ApplicationError(_("This notification is not yours."), code="not_allowed")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, actor: User, frequencies: dict[str, str]) -> dict[str, str]:
    unknown = set(frequencies) - set(Topic.values)
    if unknown:
        raise ApplicationError(
            _("Unknown topic: %(topic)s") % {"topic": ", ".join(sorted(unknown))}, code="invalid_value"
        )
    if bad := [f for f in frequencies.values() if f not in Frequency.values]:
        raise ApplicationError(_("Unknown frequency: %(value)s") % {"value": bad[0]}, code="invalid_value")
    before = selectors.preferences_of(user=actor)
    for topic, frequency in frequencies.items():
        Preference.objects.update_or_create(user=actor, topic=topic, defaults={"frequency": frequency})
    after = selectors.preferences_of(user=actor)
    if changes := {t: [before[t], after[t]] for t in after if before[t] != after[t]}:
        audit(actor=actor, action=audit_actions.NOTIFICATIONS_PREFERENCES, obj=actor, changes=changes)
    return after


def unsubscribe(*, token: str) -> tuple[Any, list[str]]:
    """Turn off e-mail for the topic in the link (a digest's link: all topics) and say which."""
    user_id, topic = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ApplicationError(_invalid_link(), code="invalid_link")
    topics = Topic.values if topic == ALL_TOPICS else [topic]
    preferences_save(actor=user, frequencies=dict.fromkeys(topics, Frequency.OFF))
    return user, topics
