"""Backups that restore: the loaded demo (from the real GIAS file) and uploaded files are
backed up, the database is wiped to nothing, and the restore gives back every table with the
same row count and checksum, and every file byte for byte. On SQLite and on PostgreSQL (the
run with DATABASE_URL), through the real commands (pg_dump/pg_restore on PostgreSQL)."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from clusterwork.core import backup as backups
from clusterwork.demo.loader import load_demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def wipe_database():
    """Drop every table: what a lost or fresh database looks like."""
    connection.close()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_the_same_rows_and_files(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    evidence = settings.PRIVATE_MEDIA_ROOT / "evidence" / "2026"
    evidence.mkdir(parents=True)
    (evidence / "receipt.pdf").write_bytes(b"%PDF-1.4 a receipt\n" + bytes(range(256)))
    (evidence / "kit photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096)
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo(write=lambda line: None)
    before = backups.table_states()
    files_before = {p.name: digest(p) for p in evidence.iterdir()}
    assert before["schools_school"].rows > 15000  # the GIAS England file
    assert before["people_person"].rows > 10 and before["django_migrations"].rows > 10

    out = io.StringIO()
    call_command("backup", str(tmp_path / "cw.tar.gz"), stdout=out)
    assert "uploaded files to" in out.getvalue()
    with tarfile.open(tmp_path / "cw.tar.gz") as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("manifest.json"))
    expected_db = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert {"manifest.json", expected_db, "private/evidence/2026/receipt.pdf"} <= names
    assert manifest["tables"]["schools_school"][0] == before["schools_school"].rows
    assert (tmp_path / "cw.tar.gz").stat().st_mode & 0o077 == 0  # owner only

    wipe_database()
    for file in evidence.iterdir():
        file.unlink()

    out = io.StringIO()
    call_command("restore", str(tmp_path / "cw.tar.gz"), "--yes", stdout=out)
    assert "every table matches the backup" in out.getvalue()

    after = backups.table_states()
    assert {t: (s.rows, s.checksum) for t, s in after.items()} == {
        t: (s.rows, s.checksum) for t, s in before.items()
    }
    assert {p.name: digest(p) for p in evidence.iterdir()} == files_before
    # The files that were there before the restore are kept aside, not deleted.
    assert any(p.name.startswith("private.before-restore-") for p in tmp_path.iterdir())

    # A restore that did not give the rows back is caught: change one and verify again.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE schools_school SET name = 'Tampered' "
            "WHERE id = (SELECT MIN(id) FROM schools_school)"
        )
    with pytest.raises(backups.BackupError, match="schools_school: .* checksum differs"):
        backups.verify(manifest)


def test_restore_refuses_what_is_not_a_backup_or_is_of_another_engine(tmp_path, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="is not a Clusterwork backup"):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": other, "tables": {}, "files": {}}))
    with tarfile.open(tmp_path / "other.tar.gz", "w:gz") as archive:
        archive.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match=f"is a {other} backup"):
        call_command("restore", str(tmp_path / "other.tar.gz"), "--yes")
