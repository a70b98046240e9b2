"""Online backups and restores of the SQLite database, and the lock a running bot holds on it.

* :func:`backup` copies the database with SQLite's online backup API in one step: the copy is one
  consistent snapshot (a single read transaction) even while the bot keeps writing in WAL mode, holds
  every transaction committed before it began, is checked with ``PRAGMA integrity_check``, and is
  written as one self-contained file (rollback journal, not WAL) renamed into place only when whole.
* A running bot holds an exclusive ``flock`` on ``<database>.lock`` (:class:`DatabaseLock`).
  :func:`restore` takes the same lock without waiting, so it refuses to overwrite the database of a
  running bot, and a second bot refuses to start on a database in use. Why a lock file and not a pid
  file or SQLite's own locks: the kernel drops an ``flock`` when its process dies, even by SIGKILL, so
  there is never a stale lock to clean up (a pid file outlives a crash, and its pid may be reused); and
  in WAL mode SQLite holds no lock between transactions, so "is the database locked?" says nothing
  about whether a bot is running.
* :func:`restore` writes through SQLite's backup API into the database, not by copying the file over
  it, so a ``-wal`` file left by a crashed bot can never be replayed onto the restored data.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path
from types import TracebackType

from bot.store.db import StoreError, available_migrations


class DatabaseInUse(StoreError):
    """Another Debrief process holds the database."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """An exclusive, non-blocking ``flock`` on ``<database>.lock``, held while the bot runs."""

    def __init__(self, database: Path, *, doing: str = "run") -> None:
        self.database = Path(database)
        self.path = lock_path(self.database)
        self.doing = doing
        self._fd: int | None = None

    def acquire(self) -> DatabaseLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"data directory {self.path.parent} cannot be used: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseInUse(
                f"cannot {self.doing}: another Debrief process is using {self.database} (it holds {self.path}); "
                "stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.release()


def backup(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` while it may be in use; returns the copy's schema version."""
    database, target = Path(database), Path(target)
    if not database.is_file():
        raise StoreError(f"no database at {database}; is the data directory right (DEBRIEF_DATA_DIR)?")
    if target.is_dir():
        target = target / database.name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)  # pages=-1: the whole database in one step, one snapshot
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                version = _check(copy, partial)
            finally:
                copy.close()
        finally:
            source.close()
        with open(partial, "rb") as done:
            os.fsync(done.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise StoreError(f"backup of {database} failed: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return version


def restore(source: Path, database: Path) -> int:
    """Replace ``database`` with the backup at ``source``; refused while a bot holds the database."""
    source, database = Path(source), Path(database)
    if not source.is_file():
        raise StoreError(f"no backup at {source}")
    with DatabaseLock(database, doing="restore"):
        try:
            backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                version = _check(backup_conn, source)
                latest = max(available_migrations(), default=0)
                if version > latest:
                    raise StoreError(
                        f"the backup {source} is at schema version {version}, newer than this Debrief "
                        f"understands ({latest}); restore it with a newer Debrief"
                    )
                live = sqlite3.connect(database, timeout=30)
                try:
                    backup_conn.backup(live)
                    live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    live.close()
            finally:
                backup_conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"restore of {source} into {database} failed: {exc}") from None
    return version


def _check(conn: sqlite3.Connection, path: Path) -> int:
    result = conn.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise StoreError(f"{path} failed SQLite's integrity check: {result[0] if result else 'no answer'}")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0:
        raise StoreError(f"{path} is not a Debrief database (schema version 0)")
    return version
