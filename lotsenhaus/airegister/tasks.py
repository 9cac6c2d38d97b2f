from django_tasks import task

from . import services


@task()
def notify_reader_message(message_id: int) -> bool:
    return services.reader_message_notify(message_id=message_id)
