"""``clusterwork apply-retention``: anonymise the people whose every role ended long ago."""

from django.conf import settings
from django.core.management.base import BaseCommand

from clusterwork.people.services import personal_data_apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise in place (as an erasure request would) everyone whose every role ended more "
        "than PERSONAL_DATA_ROLE_RETENTION_DAYS days ago. Each one is logged as a personal "
        "data request; one that an app must keep is refused with the reason, not erased."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="override the retention setting (days)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only list who would be")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = days if days is not None else settings.PERSONAL_DATA_ROLE_RETENTION_DAYS
        result = personal_data_apply_retention(days=days, dry_run=dry_run)
        if dry_run:
            for person in result:
                self.stdout.write(f"would anonymise person {person.pk}")
            self.stdout.write(f"{len(result)} person(s) past the {days}-day retention.")
            return
        done = [log for log in result if log.outcome == log.Outcome.DONE]
        for log in result:
            if log.outcome != log.Outcome.DONE:
                self.stdout.write(f"person {log.person_id}: refused — {log.detail}")
        self.stdout.write(
            f"{len(done)} person(s) anonymised, {len(result) - len(done)} refused "
            f"(retention {days} days)."
        )
