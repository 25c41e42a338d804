"""Online backups of the database and the uploads, and their restore.

A backup is one directory, written under a temporary name and renamed only once complete:

    manifest.json       when, which engine, the migrations applied, the rows of every
                        table and the SHA-256 of every file
    database.sqlite3    SQLite: a page-by-page copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom`
    uploads/            every file of the default storage (photos and their renditions)

The database is copied while the site runs: SQLite's backup API reads one consistent
snapshot (WAL included); pg_dump runs in a snapshot exported by the transaction that
also counts the rows, so the counts describe exactly what was dumped. The uploads are
copied before it and, for files that appeared meanwhile, after it.

Restoring checks everything it can before it touches anything (manifest, engine,
migrations, every checksum), replaces the database, puts back the files, then compares
the row counts with the manifest. App servers should be stopped while it runs.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from publishing.version import bump_version

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


# --- backup ----------------------------------------------------------------------------


def create_backup(output_dir, *, using="default"):
    """Back up the database and the uploads into a new directory under `output_dir`."""
    connection = connections[using]
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    if connection.in_atomic_block:
        # PostgreSQL's snapshot must be the first thing its transaction does.
        raise BackupError("Run the backup outside a transaction.")
    stamp = dt.datetime.now(dt.UTC)
    name = f"newsroom-backup-{stamp:%Y%m%d-%H%M%S}"
    output_dir = Path(output_dir)
    final = output_dir / name
    if final.exists():
        raise BackupError(f"{final} exists already; wait a second and run the backup again.")
    partial = output_dir / f".{name}.partial"
    partial.mkdir(parents=True)
    try:
        database_file = partial / DATABASE_FILES[connection.vendor]
        # Uploads before and after the database: a file the copied rows name was either
        # there before (uploads are never overwritten; replaced renditions are deleted
        # only after their row has moved on) or was written before the snapshot.
        files = _copy_uploads(partial / UPLOADS, {})
        if connection.vendor == "sqlite":
            tables, migrations = _sqlite_backup(connection, database_file)
        else:
            tables, migrations = _postgresql_backup(connection, database_file)
        files = _copy_uploads(partial / UPLOADS, files)
        manifest = {
            "format": FORMAT,
            "created_at": stamp.isoformat(),
            "engine": connection.vendor,
            "database": {"file": database_file.name, "sha256": _sha256_file(database_file)},
            "migrations": migrations,
            "tables": tables,
            "uploads": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final, manifest


def _sqlite_backup(connection, target):
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # The backup API copies a consistent snapshot while other connections keep writing.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return _table_counts(cursor, _sqlite_tables(cursor)), _migrations(cursor)


def _postgresql_backup(connection, target):
    # One REPEATABLE READ transaction exports its snapshot to pg_dump and counts the rows
    # in it: the manifest describes exactly the dumped data, however busy the site is.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run_postgresql_tool(
            connection,
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
        )
        tables = _table_counts(cursor, connection.introspection.table_names(cursor))
        return tables, _migrations(cursor)


def _copy_uploads(target, files):
    """Copy each file of the storage not in `files` yet; returns `files` with them added."""
    files = dict(files)
    for name in sorted(set(_storage_files()) - set(files)):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            with default_storage.open(name, "rb") as source, open(destination, "wb") as copy:
                for chunk in source.chunks(CHUNK):
                    digest.update(chunk)
                    copy.write(chunk)
        except FileNotFoundError:  # deleted since it was listed: no row needs it
            destination.unlink(missing_ok=True)
            continue
        files[name] = {"size": destination.stat().st_size, "sha256": digest.hexdigest()}
    return files


def _storage_files(folder=""):
    """Every file name in the default storage, through its public API (disk or S3)."""
    try:
        folders, names = default_storage.listdir(folder)
    except FileNotFoundError:  # no upload yet
        return
    for name in names:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _storage_files(f"{folder}/{sub}" if folder else sub)


# --- restore ---------------------------------------------------------------------------


def read_backup(path, *, using="default"):
    """The manifest of the backup at `path`, once the backup is proved whole and usable
    here: right format and engine, no migration this code does not know, every checksum
    right. Nothing is changed."""
    path = Path(path)
    if not path.is_dir():
        raise BackupError(f"No backup at {path}: give the directory `manage.py backup` made.")
    try:
        manifest = json.loads((path / MANIFEST).read_text())
        database = manifest["database"]
        uploads, migrations = manifest["uploads"], manifest["migrations"]
        engine, version = manifest["engine"], manifest["format"]
        dict(manifest["tables"])
    except FileNotFoundError:
        raise BackupError(
            f"{path} has no {MANIFEST}: not a backup, or an unfinished one."
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The manifest of {path} is damaged ({error!r}).") from error
    if version != FORMAT:
        raise BackupError(f"{path} is a backup of format {version}; this code reads {FORMAT}.")
    vendor = connections[using].vendor
    if engine != vendor:
        raise BackupError(
            f"{path} is a {engine} backup and the configured database is {vendor}: restore it "
            "into the same engine."
        )
    unknown = {tuple(m) for m in migrations} - _code_migrations()
    if unknown:
        raise BackupError(
            f"{path} was made by newer code (migrations {sorted(unknown)} are unknown here): "
            "deploy that code, then restore."
        )
    later = _live_migrations(using) - {tuple(m) for m in migrations}
    if later and vendor == "postgresql":
        # pg_restore --clean replaces the backup's own tables only: what later migrations
        # added would stay behind, and `migrate` would then trip over it. (SQLite's
        # restore replaces the whole file.)
        raise BackupError(
            f"The database has {len(later)} migration(s) applied that {path} predates "
            f"({', '.join(f'{app}.{name}' for app, name in sorted(later))}): restoring over "
            "it would leave their tables and columns behind. Restore into a fresh database "
            "(create an empty one, point DATABASE_URL at it, run restore), or roll the "
            "database back to the backup's migrations (`manage.py migrate <app> <migration>`) "
            "first."
        )
    if any(Path(name).is_absolute() or ".." in Path(name).parts for name in uploads):
        raise BackupError(f"The manifest of {path} names files outside its uploads.")
    checks = [(database["file"], path / database["file"], database)] + [
        (f"uploads/{name}", path / UPLOADS / name, entry) for name, entry in uploads.items()
    ]
    damaged = [label for label, file, entry in checks if not _matches(file, entry)]
    if damaged:
        raise BackupError(
            f"{path} is damaged: {len(damaged)} file(s) missing or changed since the backup "
            f"({', '.join(damaged[:5])}). Restore another backup."
        )
    return manifest


def _live_migrations(using):
    """The migrations the configured database has applied (none for an empty database)."""
    return set(MigrationRecorder(connections[using]).applied_migrations())


def migrations_to_apply(manifest):
    """Migrations of this code that the backed-up database had not applied yet."""
    return sorted(_code_migrations() - {tuple(m) for m in manifest["migrations"]})


def restore_backup(path, manifest=None, *, using="default"):
    """Replace the database and put back the uploads from the backup at `path`.

    `manifest` is what read_backup() returned for it, when the caller has checked it
    already. Raises BackupError before any change when the backup is not usable, and
    after the restore when the restored rows differ from the manifest.
    """
    path = Path(path)
    if manifest is None:
        manifest = read_backup(path, using=using)
    connection = connections[using]
    database_file = path / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, database_file)
    else:
        _postgresql_restore(connection, database_file)
    _restore_uploads(path / UPLOADS, manifest["uploads"])
    # Every cached page and fragment was rendered from the data just replaced.
    bump_version()
    with connections[using].cursor() as cursor:
        if connection.vendor == "sqlite":
            found = _table_counts(cursor, _sqlite_tables(cursor))
        else:
            found = _table_counts(cursor, connection.introspection.table_names(cursor))
    differences = {
        table: (count, found.get(table))
        for table, count in manifest["tables"].items()
        if found.get(table) != count
    }
    if differences:
        raise BackupError(
            "The restored database differs from the backup's manifest "
            f"(table: (backed up, now)): {differences}"
        )
    return manifest


def _sqlite_restore(connection, database_file):
    connection.ensure_connection()
    with closing(sqlite3.connect(database_file)) as source:
        # Page by page into the live file, under SQLite's own locks: connections of other
        # processes (stop the app servers first) see the restored data on their next read.
        source.backup(connection.connection)


def _postgresql_restore(connection, database_file):
    # pg_restore drops and recreates the tables: no session of ours may hold them.
    connections.close_all()
    _run_postgresql_tool(
        connection,
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database_file),
        ],
    )


def _restore_uploads(source, files):
    """Put back every backed-up file; files uploaded since the backup are left alone."""
    for name, entry in files.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as current:
                if _sha256(current.chunks(CHUNK)) == entry["sha256"]:
                    continue
            default_storage.delete(name)
        with open(source / name, "rb") as copy:
            saved = default_storage.save(name, File(copy))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; restore stopped.")


# --- shared ----------------------------------------------------------------------------


def _run_postgresql_tool(connection, command):
    """Run pg_dump or pg_restore on the configured database. The password goes in the
    environment, never on the command line, where other users could read it."""
    params = connection.settings_dict
    options = params.get("OPTIONS", {})
    env = {**os.environ, "PGDATABASE": params["NAME"], "PGCONNECT_TIMEOUT": "10"}
    for variable, value in [
        ("PGHOST", params.get("HOST")),
        ("PGPORT", params.get("PORT")),
        ("PGUSER", params.get("USER")),
        ("PGPASSWORD", params.get("PASSWORD")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
        ("PGSSLCERT", options.get("sslcert")),
        ("PGSSLKEY", options.get("sslkey")),
    ]:
        if value:
            env[variable] = str(value)
    try:
        # --no-password: fail at once instead of waiting for a prompt nobody sees.
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [command[0], "--no-password", *command[1:]], env=env, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed or not on PATH.") from error
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _code_migrations():
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _sqlite_tables(cursor):
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


def _table_counts(cursor, tables):
    counts = {}
    for table in tables:
        # Table names come from the database's own catalogue, not from input.
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def _matches(path, entry):
    try:
        with open(path, "rb") as file:
            return _sha256(iter(lambda: file.read(CHUNK), b"")) == entry["sha256"]
    except FileNotFoundError:
        return False


def _sha256(chunks):
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_file(path):
    with open(path, "rb") as file:
        return _sha256(iter(lambda: file.read(CHUNK), b""))
