"""``clusterwork send_loan_reminders``: email the borrowers of overdue shared resources (run it
daily from cron; each loan is reminded at most once a day)."""

from django.core.management.base import BaseCommand

from ...services import reminders_send


class Command(BaseCommand):
    help = "Email the borrower (or booker) of every overdue loan of a shared resource."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} overdue reminder{'s' if sent != 1 else ''} sent.")
