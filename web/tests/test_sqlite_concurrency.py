"""Two people saving at the same moment on a SQLite file database (the demo and small deployments):
with the settings in `sightline/settings/base.py` the second waits for the first instead of failing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.utils import OperationalError

from sightline.settings.base import sqlite_for_concurrent_use

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's single-writer lock; PostgreSQL locks rows",
)

ALIAS = "sqlite_concurrency_check"
# Long enough that both saves are certainly inside their transactions at once on a busy machine.
HOLD_SECONDS = 0.5


@contextmanager
def file_database(path: Path, **options: object) -> Iterator[None]:
    config = sqlite_for_concurrent_use({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}, timeout=10)
    config["OPTIONS"].update(options)
    # configure_settings fills in Django's defaults (AUTOCOMMIT, TIME_ZONE...) and insists on a default.
    configured = connections.configure_settings({"default": dict(connections.settings["default"]), ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (saves INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]  # this thread's wrapper would otherwise keep the old file's settings
        del connections.settings[ALIAS]


def _save_once(start: threading.Barrier, errors: list[Exception]) -> None:
    """Read, think, write: the shape of every service that checks a record before changing it."""
    start.wait()
    try:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT saves FROM counter")
            (saves,) = cursor.fetchone()
            time.sleep(HOLD_SECONDS)
            cursor.execute("UPDATE counter SET saves = %s", [saves + 1])
    except OperationalError as error:
        errors.append(error)
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]


def _two_saves_at_once() -> tuple[int, list[Exception]]:
    start, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_save_once, args=(start, errors)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT saves FROM counter")
        return cursor.fetchone()[0], errors


def test_the_file_database_uses_write_ahead_logging(tmp_path: Path, django_db_blocker) -> None:
    with django_db_blocker.unblock(), file_database(tmp_path / "sightline.sqlite3"):
        with connections[ALIAS].cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert connections[ALIAS].transaction_mode == "IMMEDIATE"


def test_two_saves_at_once_both_succeed_one_after_the_other(tmp_path: Path, django_db_blocker) -> None:
    with django_db_blocker.unblock(), file_database(tmp_path / "sightline.sqlite3"):
        saves, errors = _two_saves_at_once()
    assert errors == []
    assert saves == 2  # neither save overwrote the other


def test_without_immediate_transactions_one_save_fails_with_database_is_locked(
    tmp_path: Path, django_db_blocker
) -> None:
    # The failure the settings prevent, and the error DatabaseLockedMiddleware turns into a 409 page.
    with django_db_blocker.unblock(), file_database(tmp_path / "sightline.sqlite3", transaction_mode="DEFERRED"):
        saves, errors = _two_saves_at_once()
    assert saves == 1
    assert len(errors) == 1 and "locked" in str(errors[0])


def test_in_memory_and_postgresql_databases_are_left_alone() -> None:
    memory = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "sightline"}
    assert sqlite_for_concurrent_use(memory) == memory
    assert sqlite_for_concurrent_use(postgres) == postgres
