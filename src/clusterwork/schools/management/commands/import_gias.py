"""``clusterwork import-gias PATH``: load the GIAS establishments CSV into the school directory."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.errors import ServiceError
from clusterwork.schools.importer import england_file_path, import_gias


class Command(BaseCommand):
    help = (
        "Import a GIAS 'all establishments' CSV (Windows-1252, real GIAS column names; at least "
        "URN and EstablishmentName). Matches schools by URN: creates new ones, updates changed "
        "ones, leaves the rest alone. Bad rows are rejected into a CSV; the import is one "
        "transaction. PATH defaults to the England open state-funded file in CLUSTERWORK_DATA."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the CSV file (default: the England file)")
        parser.add_argument("--actor", metavar="EMAIL", help="the user recorded as importing")
        parser.add_argument(
            "--only-open",
            action="store_true",
            help='import only schools whose status starts with "Open"',
        )
        parser.add_argument(
            "--strict", action="store_true", help="refuse the whole file if any row is bad"
        )
        parser.add_argument(
            "--rejects",
            metavar="PATH",
            help="where to write the rejected rows (default: var/imports/gias-rejects-<time>.csv)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path, actor, only_open, strict, rejects, no_progress, **options):
        user = None
        if actor:
            user = get_user_model().objects.filter(email__iexact=actor.strip()).first()
            if user is None:
                raise CommandError(f"No user has the email address {actor}.")
        progress = not no_progress and sys.stderr.isatty()
        try:
            result = import_gias(
                path or england_file_path(),
                actor=user,
                only_open=only_open,
                strict=strict,
                rejects_path=rejects,
                progress=progress,
            )
        except ServiceError as error:
            raise CommandError(error.text) from None
        self.stdout.write(f"Imported {result.source}: {result.summary()}")
        if result.rejects_path is not None:
            self.stdout.write(f"Rejected rows are listed in {result.rejects_path}")
