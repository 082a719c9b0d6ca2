"""Background work for cluster formation (django.tasks; the database backend in production)."""

from clusterwork.core.tasks import task


@task()
def run_formation(run_id: int) -> str:
    from .services import formation_run_execute

    return formation_run_execute(run_id=run_id).status
