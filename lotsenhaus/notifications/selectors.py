from datetime import datetime

from django.db.models import QuerySet

from lotsenhaus.accounts.models import User

from .models import Frequency, Notification, Preference, Topic


def notifications_of(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_of(*, user: User) -> dict[str, str]:
    """Every topic with the person's frequency (immediately where they chose nothing)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("topic", "frequency"))
    return {topic: chosen.get(topic, Frequency.IMMEDIATELY) for topic in Topic.values}


def frequencies_for(*, user_ids: list[int], topic: str) -> dict[int, str]:
    return dict(Preference.objects.filter(user_id__in=user_ids, topic=topic).values_list("user_id", "frequency"))


def unsent_immediate(*, created_before: datetime) -> list[int]:
    """Immediate e-mails whose task never ran to the end (a worker killed, a queue lost): sent by the sweep."""
    return list(
        Notification.objects.filter(
            email=Frequency.IMMEDIATELY, emailed_at__isnull=True, created_at__lt=created_before
        ).values_list("pk", flat=True)
    )


def digest_recipients(*, frequency: str) -> list[int]:
    return list(
        Notification.objects.filter(email=frequency, emailed_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def emails_waiting() -> int:
    """Notifications to be e-mailed at once whose e-mail has not gone out (the metric; a growing number means
    the mail server or the workers are failing)."""
    return Notification.objects.filter(email=Frequency.IMMEDIATELY, emailed_at__isnull=True).count()
