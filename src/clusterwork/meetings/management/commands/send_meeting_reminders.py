"""``clusterwork send-meeting-reminders``: queue reminder emails (run it hourly from cron)."""

from django.core.management.base import BaseCommand

from ...tasks import send_reminders


class Command(BaseCommand):
    help = "Queue reminders to invitees of events starting within the next HOURS (default 48)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)

    def handle(self, *args, hours, **options):
        result = send_reminders.enqueue(hours)
        self.stdout.write(f"Reminders queued (task {result.id}).")
