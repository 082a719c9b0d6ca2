"""``clusterwork import-pupil-counts``: pupil numbers for splits by pupils, from the
GIAS-derived school facts (default) or a GIAS file with ``NumberOfPupils``."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.errors import ServiceError, error_text
from clusterwork.sharedservices import services


class Command(BaseCommand):
    help = "Record pupil numbers counted on a census date, for shared-cost splits by pupils."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="CSV (default: DATA_DIR/gias/derived/school_facts.csv)")
        parser.add_argument("--on", required=True, help="the census date, YYYY-MM-DD")
        parser.add_argument("--urn", type=int, action="append", help="only these schools")

    def handle(self, *args, file=None, on=None, urn=None, **options):
        try:
            counted_on = dt.date.fromisoformat(on)
        except ValueError:
            raise CommandError(f"--on {on}: not a date (YYYY-MM-DD).") from None
        try:
            result = services.pupil_counts_import(
                actor=None, counted_on=counted_on, path=file, urns=urn
            )
        except ServiceError as error:
            raise CommandError(error_text(error)) from None
        self.stdout.write(
            f"Pupil counts on {counted_on}: {result['created']} recorded, {result['updated']} "
            f"updated, {result['unknown']} unknown (blank, skipped), "
            f"{result['not_in_directory']} not in the school directory."
        )
