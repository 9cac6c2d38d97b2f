from django_tasks import task

from . import services


@task()
def notify_evaluator(*, evaluator_id: int) -> bool:
    return services.evaluator_notify(evaluator_id=evaluator_id)
