"""``clusterwork send-funding-nudges``: email coordinators whose cluster is at risk of
underspending before its year ends (run it daily from cron)."""

from django.core.management.base import BaseCommand

from ...nudges import send_nudges


class Command(BaseCommand):
    help = "Queue emails to coordinators of clusters at risk of underspending near the year's end."

    def add_arguments(self, parser):
        parser.add_argument("--on", default=None, help="As if today were this day (YYYY-MM-DD).")
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")

    def handle(self, *args, on, now, **options):
        if now:
            self.stdout.write(f"Nudges sent: {send_nudges.call(on)}.")
            return
        result = send_nudges.enqueue(on)
        self.stdout.write(f"Nudges queued (task {result.id}).")
