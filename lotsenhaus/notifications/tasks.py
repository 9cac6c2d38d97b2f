from django_tasks import task

from . import services


@task()
def send_notification_email(*, notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@task()
def send_digest(*, user_id: int, frequency: str) -> int:
    return services.digest_send(user_id=user_id, frequency=frequency)
