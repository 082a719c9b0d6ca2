"""``clusterwork load_demo``: the demo organisations from the seed documents, with logins."""

from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.errors import ServiceError
from clusterwork.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the full GIAS England school directory, the Bourne Education Trust "
        "clusters, a cluster-board trust, a primary science programme and a school-sport "
        "network, with invented people. Safe to run again: a loaded demo is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-reimport",
            action="store_true",
            help="Import the GIAS England file again even if the directory has schools.",
        )
        parser.add_argument("--progress", action="store_true", help="Show import progress bars.")

    def handle(self, *args, force_reimport=False, progress=False, **options):
        try:
            load_demo(write=self.stdout.write, force_reimport=force_reimport, progress=progress)
        except (ServiceError, LookupError) as error:
            message = error.text if isinstance(error, ServiceError) else str(error)
            raise CommandError(f"The demo was not loaded: {message}") from error
