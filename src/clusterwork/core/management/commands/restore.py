"""``clusterwork restore PATH``: put a backup back, and prove it came back whole."""

from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a `clusterwork backup` archive into the configured database (replacing what "
        "is there) and the uploaded files (the current folder is kept beside it, renamed), then "
        "check every table's row count and checksum against the backup's manifest. Stop the web "
        "servers and the task worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive `clusterwork backup` wrote")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the database"
        )

    def handle(self, *args, path, yes=False, **options):
        try:
            manifest = read_manifest(path)
            if not yes:
                answer = input(
                    f"Replace the database and uploaded files with the backup of "
                    f"{manifest['created_at']}? Type 'yes': "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Nothing restored.")
            summary = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary['tables']} tables ({summary['rows']} rows) and "
            f"{summary['files']} uploaded files from {path}; every table matches the backup."
        )
