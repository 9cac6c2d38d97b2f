from django_tasks import task

from . import services


@task()
def remind_event(*, event_id: int) -> int:
    return services.event_remind(event_id=event_id)
