"""One long-lived aiosqlite connection, WAL mode, foreign keys on, numbered migrations.

Every statement goes through :class:`Database`, which serialises access with one lock: a single
statement takes it briefly, :meth:`Database.transaction` holds it for a whole ``BEGIN IMMEDIATE …
COMMIT`` block. (One connection with a lock measured ~4x faster than a connection per call, with a far
better tail.) Inside a transaction use the :class:`Tx` it yields, never the database's own methods.

Saved means saved: ``synchronous=FULL`` (a commit is on disk before it is acknowledged, even on power
loss; the cost is measured in docs/benchmarks.md). The database and its ``-wal``/``-shm`` files are
owner-only (0600). aiosqlite logs every statement with its parameters at DEBUG, which would put users'
answers in the log at ``log_level = "DEBUG"``: its logger is kept at INFO and filtered below that.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]

#: Owner-only: the database holds people's private notes.
FILE_MODE = 0o600


class _NoQueryLog(logging.Filter):
    """aiosqlite's DEBUG records carry every statement's parameters (users' words): never let them out."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_driver_log = logging.getLogger("aiosqlite")
_driver_log.setLevel(logging.INFO)
_driver_log.addFilter(_NoQueryLog())


class StoreError(Exception):
    """The store cannot be used. ``str(err)`` is one line meant for the operator."""


class Conflict(Exception):
    """A write clashed with a uniqueness rule (e.g. a second open debrief).

    The engine's own error (``sqlite3.IntegrityError``) stays inside the store."""


class Tx:
    """The statements of one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        #: Told each statement's SQL text (never its parameters) and duration in seconds (bot/ops/).
        self.on_statement: Callable[[str, float], None] | None = None

    def _took(self, sql: str, started: float) -> None:
        if self.on_statement is not None:
            self.on_statement(sql.lstrip(), time.perf_counter() - started)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns ``lastrowid`` for an INSERT, else the row count."""
        started = time.perf_counter()
        with _engine_errors():
            cursor = await self._conn.execute(sql, params)
            try:
                return cursor.lastrowid if sql.lstrip()[:6].upper() == "INSERT" else cursor.rowcount
            finally:
                await cursor.close()
                self._took(sql, started)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        started = time.perf_counter()
        with _engine_errors():
            await self._conn.executemany(sql, rows)
        self._took(sql, started)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        started = time.perf_counter()
        with _engine_errors():
            async with self._conn.execute(sql, params) as cursor:
                row = await cursor.fetchone()
        self._took(sql, started)
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        started = time.perf_counter()
        with _engine_errors():
            async with self._conn.execute(sql, params) as cursor:
                rows = list(await cursor.fetchall())
        self._took(sql, started)
        return rows


@contextmanager
def _engine_errors() -> Iterator[None]:
    """The engine's failures (a read-only or full disk, an I/O error, a locked file) leave the store as
    :class:`StoreError`. ``sqlite3.IntegrityError`` passes: the store's own modules turn it into
    :class:`Conflict` where a clash is expected."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.Error as exc:
        raise StoreError(f"the database refused the statement: {exc}") from exc


class Database:
    """The SQLite database. Open with :meth:`open`, close with :meth:`close`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._tx = Tx(conn)
        self._owner: asyncio.Task[object] | None = None  # the task inside transaction(), if any
        self.path = path

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        path = Path(path)
        _ensure_writable_dir(path.parent)
        await _ensure_openable(path)
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=FULL")
            await conn.execute("PRAGMA busy_timeout=5000")
            if migrate:
                await db.migrate()
            _owner_only(path)  # -wal and -shm now exist (SQLite gives them the database's mode)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StoreError(f"cannot use database {path}: {exc}") from None
        except StoreError:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    def observe_statements(self, callback: Callable[[str, float], None] | None) -> None:
        """Have ``callback(sql, seconds)`` told of every statement (the metrics; never the parameters)."""
        self._tx.on_statement = callback

    # -- migrations ---------------------------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply every migration newer than the database; returns the versions applied."""
        migrations = available_migrations()
        latest = max(migrations, default=0)
        current = await self.schema_version()
        if current > latest:
            raise StoreError(
                f"database {self.path} is at schema version {current}, newer than this Debrief "
                f"understands ({latest}); run a newer Debrief or restore a backup"
            )
        applied: list[int] = []
        for version in sorted(v for v in migrations if v > current):
            sql = migrations[version]
            async with self._lock:
                try:
                    await self._conn.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                    )
                except sqlite3.Error as exc:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise StoreError(f"migration {version} failed on {self.path}: {exc}") from None
            log.info("applied database migration %04d", version)
            applied.append(version)
        return applied

    # -- statements ---------------------------------------------------------------------------------

    def _not_inside_transaction(self) -> None:
        # The lock is not re-entrant: a call from inside a transaction would wait for itself forever.
        if self._owner is not None and self._owner is asyncio.current_task():
            raise RuntimeError("inside a transaction, use its Tx, not the Database (this would deadlock)")

    async def execute(self, sql: str, params: Params = ()) -> int:
        self._not_inside_transaction()
        async with self._lock:
            return await self._tx.execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        self._not_inside_transaction()
        async with self._lock:
            return await self._tx.fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        self._not_inside_transaction()
        async with self._lock:
            return await self._tx.fetchall(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """``async with db.transaction() as tx:`` — all or nothing, serialised with every other call."""
        self._not_inside_transaction()
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                with _engine_errors():
                    await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._tx
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                else:
                    try:
                        with _engine_errors():
                            await self._conn.execute("COMMIT")
                    except StoreError:
                        if self._conn.in_transaction:  # a failed COMMIT may leave it open: end it
                            await self._conn.execute("ROLLBACK")
                        raise
            finally:
                self._owner = None


def available_migrations() -> dict[int, str]:
    """The numbered ``migrations/NNNN_name.sql`` files shipped with the package."""
    found: dict[int, str] = {}
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", entry.name)
        if match:
            found[int(match.group(1))] = entry.read_text(encoding="utf-8")
    return found


async def _ensure_openable(path: Path) -> None:
    """Refuse a path SQLite cannot open before aiosqlite starts its worker thread.

    When aiosqlite's connect fails, its thread is told to stop without being waited for, and it may
    then call into an event loop that has already closed ("RuntimeError: Event loop is closed" after
    the one-line error). A plain ``sqlite3`` open in a thread that is awaited has no such tail. The
    file is created owner-only first, so it is never readable by others, not even for a moment.
    """

    def problem() -> str | None:
        if path.is_dir():
            return f"database {path} is a directory; give the path of a file, e.g. {path / 'debrief.db'}"
        _owner_only(path)
        try:
            sqlite3.connect(str(path)).close()
        except sqlite3.Error as exc:
            return f"cannot open database {path}: {exc}"
        return None

    found = await asyncio.to_thread(problem)
    if found is not None:
        raise StoreError(found)


def _owner_only(path: Path) -> None:
    """Create the database file 0600 if it is new; take group/other access off it and its companions.

    A file that exists is only chmod-ed, never opened: closing any descriptor of the database in this
    process would drop SQLite's POSIX locks on it while the store's connection is open, and another
    connection could then check the WAL into the database and delete it under us.
    """
    try:
        if not path.exists():
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE))
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(FILE_MODE)
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror or exc}") from None


def _ensure_writable_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"data directory {directory} cannot be created: {exc.strerror or exc}") from None
    probe = directory / ".debrief-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"data directory {directory} is not writable: {exc.strerror or exc}") from None
