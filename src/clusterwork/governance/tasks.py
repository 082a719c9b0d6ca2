"""Background work: the scheduled evaluation of intervention triggers."""

from clusterwork.core.tasks import task

from .intervention import evaluate


@task()
def evaluate_triggers_task() -> int:
    """Evaluate every trust's triggers (run nightly by the worker's schedule or cron:
    ``clusterwork evaluate-triggers``). Returns the number of cases opened."""
    return len(evaluate())
