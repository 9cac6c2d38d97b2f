from django_tasks import task

from . import services


@task()
def remind_advisory_milestone(*, milestone_id: int) -> int:
    return services.milestone_remind(milestone_id=milestone_id)
