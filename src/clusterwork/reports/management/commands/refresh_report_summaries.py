"""``clusterwork refresh-report-summaries``: rebuild the dashboards' summaries from scratch.

Run it nightly (meetings falling into the engagement window change who is flagged with no
write) and after bulk loads that write without signals (``generate-load-data``)."""

import time

from django.core.management.base import BaseCommand

from ...summaries import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the attendance and engagement summaries the dashboards read."

    def handle(self, *args, **opts):
        t0 = time.monotonic()
        done = rebuild_all()
        self.stdout.write(
            f"Rebuilt {done['attendance_rows']} school-term attendance rows and "
            f"{done['clusters']} clusters' engagement and {done['measure_values']} measure values "
            f"in {time.monotonic() - t0:.1f} s."
        )
