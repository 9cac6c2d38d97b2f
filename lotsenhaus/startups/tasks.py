from django_tasks import task

from . import services


@task()
def import_startups(*, upload_id: int) -> int:
    """Import a checked startup list in slices; a second run continues where the first stopped."""
    return services.import_execute(upload_id=upload_id).imported_count


@task()
def check_startup_list(*, upload_id: int) -> int:
    """Check the rows of an uploaded startup list; the preview page shows the result when it is there."""
    return len(services.import_check(upload_id=upload_id).valid_rows)
