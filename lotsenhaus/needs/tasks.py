from django_tasks import task

from . import services


@task()
def notify_transition(transition_id: int) -> int:
    return services.transition_notify(transition_id=transition_id)
