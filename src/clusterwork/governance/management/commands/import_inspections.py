"""``clusterwork import-inspections [FILE]``: inspection outcomes into their own rows."""

from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.errors import ServiceError
from clusterwork.governance.importer import import_inspections


class Command(BaseCommand):
    help = (
        "Import inspection outcomes from gias/derived/school_facts.csv under the data "
        "directory (default) or from a GIAS establishments file with 'OfstedRating (name)'."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="a school_facts.csv or GIAS CSV file")
        parser.add_argument(
            "--no-triggers",
            action="store_true",
            help="do not evaluate the intervention triggers afterwards",
        )

    def handle(self, *args, **options):
        try:
            result = import_inspections(options["path"], evaluate=not options["no_triggers"])
        except ServiceError as error:
            raise CommandError(error.text) from None
        self.stdout.write(result.summary())
