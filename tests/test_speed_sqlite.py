"""SQLite as configured in settings: editors saving while readers read, with no lock errors."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.utils import OperationalError

ALIAS = "concurrency"


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A file-based SQLite database (WAL needs a file) with the production OPTIONS.

    Its own alias, outside the test database and its wrapping transaction.
    """
    with django_db_blocker.unblock():
        yield from _file_database(tmp_path)


def _file_database(tmp_path):
    connections.settings[ALIAS] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "concurrency.sqlite3"),
        "OPTIONS": settings.SQLITE_OPTIONS,
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": None, "MIRROR": None, "CHARSET": None, "COLLATION": None, "MIGRATE": True},
    }
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE story (id INTEGER PRIMARY KEY, headline TEXT, saves INT)")
        cursor.executemany(
            "INSERT INTO story (headline, saves) VALUES (%s, 0)", [(f"s{n}",) for n in range(50)]
        )
    connections[ALIAS].close()
    yield ALIAS
    del connections.settings[ALIAS]


def test_editors_saving_while_readers_read_never_hit_database_is_locked(file_database):
    errors = []
    done = threading.Event()

    def editor(number):
        # Read, then write, in one transaction: the pattern of an admin save.
        try:
            for n in range(40):
                with (
                    transaction.atomic(using=file_database),
                    connections[file_database].cursor() as cursor,
                ):
                    cursor.execute("SELECT saves FROM story WHERE id = %s", [n % 50 + 1])
                    saves = cursor.fetchone()[0]
                    cursor.execute(
                        "UPDATE story SET saves = %s, headline = %s WHERE id = %s",
                        [saves + 1, f"editor {number} save {n}", n % 50 + 1],
                    )
        except OperationalError as error:
            errors.append(error)
        finally:
            connections[file_database].close()

    def reader():
        try:
            while not done.is_set():
                with (
                    transaction.atomic(using=file_database),
                    connections[file_database].cursor() as cursor,
                ):
                    cursor.execute("SELECT count(*), sum(saves) FROM story")
                    cursor.fetchone()
        except OperationalError as error:
            errors.append(error)
        finally:
            connections[file_database].close()

    readers = [threading.Thread(target=reader) for _ in range(4)]
    editors = [threading.Thread(target=editor, args=(n,)) for n in range(3)]
    for thread in readers + editors:
        thread.start()
    for thread in editors:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()

    assert errors == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT sum(saves) FROM story")
        assert cursor.fetchone()[0] == 3 * 40
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connections[file_database].close()


@pytest.mark.django_db
def test_migrate_leaves_sqlite_with_planner_statistics():
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL's autovacuum keeps statistics")
    with default.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
