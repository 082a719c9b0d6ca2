"""``clusterwork backup [PATH]``: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from clusterwork.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: the online backup API; PostgreSQL: pg_dump) and the "
        "uploaded files (PRIVATE_MEDIA_ROOT) into one .tar.gz with a manifest of every table's "
        "row count and checksum. PATH defaults to var/backups/clusterwork-<time>.tar.gz. The "
        "archive holds personal data: it is written readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write the archive")

    def handle(self, *args, path=None, **options):
        try:
            written, manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(rows for rows, _ in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['files'])} uploaded files to {written}"
        )
