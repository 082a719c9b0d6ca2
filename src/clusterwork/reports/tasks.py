"""Background work: the weekly digest and the nightly rebuild of the summaries."""

from clusterwork.core.tasks import task

from . import digest, summaries


@task()
def send_weekly_digest() -> dict:
    return digest.send_weekly()


@task()
def refresh_report_summaries() -> dict:
    return summaries.rebuild_all()
