from django_tasks import task

from . import services


@task()
def send_invitation(membership_id: int) -> bool:
    return services.membership_send_invitation(membership_id=membership_id)
