"""Backups that restore: the database and the uploaded files in one archive, with a manifest
of every table's row count and checksum, checked again after a restore.

- **SQLite**: SQLite's online backup API copies the database while the app keeps running
  (a consistent snapshot, WAL included).
- **PostgreSQL**: ``pg_dump --format=custom`` (one consistent snapshot), restored with
  ``pg_restore --clean --if-exists --no-owner --single-transaction`` (all or nothing).

The archive (``.tar.gz``) holds ``manifest.json``, ``database.sqlite3`` or ``database.dump``,
and ``private/…`` (``PRIVATE_MEDIA_ROOT``: receipts, photos, evidence). ``restore`` puts the
database back (into the configured database, which it replaces), the files back, and then
compares every table with the manifest: a restore that does not give back the same rows fails
loudly instead of passing silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.dump"
FILES_DIR = "private"


class BackupError(Exception):
    """Something a person running the command must fix; the message says what."""


@dataclass
class TableState:
    rows: int
    checksum: str


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_states(using: str = "default") -> dict[str, TableState]:
    """Every table's row count and a checksum of its rows (in primary-key order, or in the
    order of all columns for a table without one)."""
    if connections[using].vendor == "sqlite":
        # Read from a snapshot with the plain sqlite3 module (no type converters), so the
        # live database and a backup file are read the same way.
        with tempfile.TemporaryDirectory(prefix="cw-states-") as work:
            snapshot = Path(work) / "snapshot.sqlite3"
            _sqlite_copy(connections[using], snapshot)
            return _sqlite_states(snapshot)
    conn = connections[using]
    states = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            constraints = conn.introspection.get_constraints(cursor, table)
            primary = next(
                (c["columns"] for c in constraints.values() if c.get("primary_key")), None
            )
            columns = [c.name for c in conn.introspection.get_table_description(cursor, table)]
            order = ", ".join(conn.ops.quote_name(c) for c in (primary or columns))
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)} ORDER BY {order}")
            states[table] = _state_of(cursor)
    return states


def _state_of(cursor) -> TableState:
    digest, count = hashlib.sha256(), 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(repr(tuple(_canonical(v) for v in row)).encode())
            count += 1
    return TableState(count, digest.hexdigest())


def _sqlite_copy(conn, target: Path) -> None:
    conn.ensure_connection()
    copy = sqlite3.connect(target)
    with copy:
        conn.connection.backup(copy)
    copy.close()


def _sqlite_states(database: Path) -> dict[str, TableState]:
    raw = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        states = {}
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            info = raw.execute(f"PRAGMA table_info({quoted})").fetchall()
            primary = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5] > 0]
            order = ", ".join('"' + c + '"' for c in (primary or [row[1] for row in info]))
            states[table] = _state_of(raw.execute(f"SELECT * FROM {quoted} ORDER BY {order}"))
        return states
    finally:
        raw.close()


def _canonical(value):
    # The same row reads back identically from a restored copy; memoryview (PostgreSQL
    # bytea) is compared as bytes, JSON text as parsed.
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _files_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env(using: str = "default") -> tuple[list[str], dict]:
    params = connections[using].settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict) -> None:
    tool = argv[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client; `make pg-client`)."
        )
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[:2000]}")


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"clusterwork-{stamp}.tar.gz"


def backup(path=None, *, using: str = "default") -> tuple[Path, dict]:
    """Write a backup archive; returns its path and its manifest."""
    engine = _engine(using)
    path = Path(path) if path else default_backup_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cw-backup-") as work:
        work = Path(work)
        if engine == "sqlite":
            database = work / SQLITE_NAME
            _sqlite_copy(connections[using], database)
            states = _sqlite_states(database)
        else:
            database = work / PG_NAME
            args, env = _pg_env(using)
            # Counted inside one snapshot with the dump would be ideal; the counts are taken
            # first, and a restore checks the dump against them, so a write in between shows.
            states = table_states(using)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), *args], env)
        files = sorted(p for p in _files_root().rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "tables": {name: [s.rows, s.checksum] for name, s in states.items()},
            "files": {str(p.relative_to(_files_root())): _file_digest(p) for p in files},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            for file in files:
                archive.add(file, arcname=f"{FILES_DIR}/{file.relative_to(_files_root())}")
        partial.replace(path)  # never a half-written archive under the final name
    os.chmod(path, 0o600)  # it holds personal data
    return path, manifest


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        with tarfile.open(path, "r:gz") as archive:
            return json.load(archive.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{path} is not a Clusterwork backup ({error}).") from None


def restore(path, *, using: str = "default") -> dict:
    """Replace the configured database and the uploaded files with the archive's, then check
    every table against the manifest. Returns a summary; raises BackupError on a mismatch."""
    engine = _engine(using)
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format {manifest.get('format')}, not {FORMAT_VERSION}."
        )
    if manifest["engine"] != engine:
        raise BackupError(
            f"{path} is a {manifest['engine']} backup; the configured database is {engine}. "
            "Restore it into a database of the same kind (then move it with dumpdata/loaddata)."
        )
    with tempfile.TemporaryDirectory(prefix="cw-restore-") as work:
        work = Path(work)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        if engine == "sqlite":
            _restore_sqlite(work / SQLITE_NAME, using)
        else:
            args, env = _pg_env(using)
            connections[using].close()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(work / PG_NAME),
                ],
                env,
            )
        _restore_files(work / FILES_DIR, manifest["files"])
    return verify(manifest, using=using)


def _restore_sqlite(source: Path, using: str) -> None:
    conn = connections[using]
    target_name = conn.settings_dict["NAME"]
    conn.ensure_connection()
    copy = sqlite3.connect(source)
    with copy:
        # The backup API writes into the live file (its WAL too), so open connections see it.
        copy.backup(conn.connection)
    copy.close()
    if not Path(str(target_name)).exists() and "memory" not in str(target_name):
        raise BackupError(f"The database {target_name} was not written.")


def _restore_files(source: Path, expected: dict[str, str]) -> None:
    root = _files_root()
    if root.exists():
        moved = root.with_name(root.name + f".before-restore-{timezone.now():%Y%m%d%H%M%S}")
        root.rename(moved)  # kept, not deleted: the files as they were before the restore
    root.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.copytree(source, root, dirs_exist_ok=True)
    for name, digest in expected.items():
        file = root / name
        if not file.is_file() or _file_digest(file) != digest:
            raise BackupError(f"The uploaded file {name} did not come back intact.")


def verify(manifest: dict, *, using: str = "default") -> dict:
    now = table_states(using)
    wrong = []
    for table, (rows, checksum) in manifest["tables"].items():
        state = now.get(table)
        if state is None:
            wrong.append(f"{table}: missing")
        elif (state.rows, state.checksum) != (rows, checksum):
            wrong.append(f"{table}: {state.rows} rows (backup: {rows}), checksum differs")
    extra = sorted(set(now) - set(manifest["tables"]))
    wrong += [f"{table}: not in the backup" for table in extra]
    if wrong:
        raise BackupError("The restored database differs from the backup: " + "; ".join(wrong))
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(rows for rows, _ in manifest["tables"].values()),
        "files": len(manifest["files"]),
    }
