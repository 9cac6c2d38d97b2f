from django_tasks import task

from . import services


@task()
def notify_shared_question(*, question_id: int) -> int:
    return services.shared_question_notify(question_id=question_id)
