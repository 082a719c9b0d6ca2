"""``clusterwork send-weekly-digest``: email everyone who has not opted out their digest of
the past week (skipping anyone already sent one in the last six days, and empty digests)."""

from django.core.management.base import BaseCommand

from ...digest import send_weekly


class Command(BaseCommand):
    help = "Send the weekly digest emails."

    def handle(self, *args, **opts):
        done = send_weekly()
        self.stdout.write(f"Sent {done['sent']} digests; {done['empty']} had nothing to say.")
