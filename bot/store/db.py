"""The SQLite engine: one writer connection in its own thread, one reader connection on the loop; WAL.

Every write runs in one round trip to the writer's thread: the whole call (execute, fetch, close the
cursor) is one function run there, its result handed back to the event loop. (aiosqlite made 2-3
round trips per statement, and with the store's lock held across them, interactions queued behind
each other at a thousand users: issue 15.)

* **Reads do not wait behind writes.** A plain ``SELECT`` outside a transaction runs on a reader
  connection (WAL lets readers run beside the writer and see the last committed state), right on the
  event loop: the store's reads are index look-ups of a few rows, tens of microseconds, cheaper than
  a hop to a thread. (Reader threads were measured first: at 30 users on a busy 2-core machine, the
  handoffs' contention for the GIL cost the event loop more — 0.6 ms a queue put, 4 ms a socket
  send — than the reads themselves.) Nothing holds a lock for a read.
* **Writes are serialised** on the one writer connection with an asyncio lock: a single statement
  holds it for one round trip (SQLite commits it by itself); :meth:`Database.transaction` holds it for
  a whole ``BEGIN IMMEDIATE … COMMIT`` block, so multi-statement writes stay atomic. The ``BEGIN``
  travels with the block's first statement, so a transaction of n statements costs n + 1 round trips.
  Inside a transaction use the :class:`Tx` it yields, never the database's own methods.

* **Group commit.** Writes that wait for the lock together share one transaction and one fsync: each
  transaction in its own ``SAVEPOINT`` (a failing one undoes only itself), one ``COMMIT`` when nobody
  else waits (or after ``GROUP_MAX``), and no write returns before that ``COMMIT`` has returned. A write
  alone commits by itself as before (see :meth:`Database._unit`; the pieces are in ``bot/store/sqlite.py``).

Saved means saved: ``synchronous=FULL`` (a commit is on disk before it is acknowledged, even on power
loss; the cost is measured in docs/benchmarks.md). The database and its ``-wal``/``-shm`` files are
owner-only (0600). No statement or parameter is ever logged (they carry users' answers).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from bot.store.rebuild import never_reuse_ids
from bot.store.sqlite import (
    GROUP_MAX,
    _entering,
    _finish,
    _Group,
    _Reader,
    _retrieved,
    _Unit,
    _Worker,
    run_migration,
)

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")
Step = Callable[[sqlite3.Connection], None]

#: Migrations with a step in Python after their SQL, in the same transaction (the step reads the schema
#: as earlier migrations left it).
STEPS: dict[int, Step] = {13: never_reuse_ids}

#: Owner-only: the database holds people's private notes.
FILE_MODE = 0o600


class StoreError(Exception):
    """The store cannot be used. ``str(err)`` is one line meant for the operator."""


class Conflict(Exception):
    """A write clashed with a uniqueness rule (e.g. a second open debrief).

    The engine's own error (``sqlite3.IntegrityError``) stays inside the store."""


Call = Callable[[Callable[[sqlite3.Connection], Any]], Any]


class Tx:
    """Statements on one connection; each is one round trip. (A transaction's, or the readers'.)"""

    def __init__(self, call: Call) -> None:
        self._call = call
        #: Told each statement's SQL text (never its parameters) and duration in seconds (bot/ops/).
        self.on_statement: Callable[[str, float], None] | None = None

    async def _run(self, sql: str, run: Callable[[sqlite3.Connection], T]) -> T:
        """One statement, in one round trip. The engine's failures (a read-only or full disk, an I/O
        error, a locked file) leave the store as :class:`StoreError`; ``sqlite3.IntegrityError`` passes:
        the store's own modules turn it into :class:`Conflict` where a clash is expected."""
        started = time.perf_counter()
        try:
            return await self._call(run)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise StoreError(f"the database refused the statement: {exc}") from exc
        finally:
            if self.on_statement is not None:
                self.on_statement(sql.lstrip(), time.perf_counter() - started)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns ``lastrowid`` for an INSERT, else the row count."""
        insert = sql.lstrip()[:6].upper() == "INSERT"

        def run(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(sql, params)
            try:
                return cursor.lastrowid if insert else cursor.rowcount
            finally:
                cursor.close()

        return await self._run(sql, run)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)

        def run(conn: sqlite3.Connection) -> None:
            conn.executemany(sql, rows).close()

        await self._run(sql, run)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        def run(conn: sqlite3.Connection) -> sqlite3.Row | None:
            cursor = conn.execute(sql, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()

        return await self._run(sql, run)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        def run(conn: sqlite3.Connection) -> list[sqlite3.Row]:
            cursor = conn.execute(sql, params)
            try:
                return cursor.fetchall()
            finally:
                cursor.close()

        return await self._run(sql, run)


def _reads_only(sql: str) -> bool:
    """A plain SELECT (a ``WITH`` may hide an ``UPDATE … RETURNING``: that goes to the writer)."""
    return sql.lstrip()[:6].upper() == "SELECT"


class Engine:
    """What both engines' databases share (this one and ``bot.store.pg.PgDatabase``): a writing ``Tx``
    and a reading one, and the task inside ``transaction()``, if any."""

    _tx: Any
    _reads: Any
    _owner: asyncio.Task[object] | None

    def observe_statements(self, callback: Callable[[str, float], None] | None) -> None:
        """Have ``callback`` told every statement's SQL and duration, reads and writes (bot/ops/)."""
        self._tx.on_statement = callback
        self._reads.on_statement = callback

    def _not_inside_transaction(self) -> None:
        # The lock is not re-entrant: a call from inside a transaction would wait for itself forever.
        if self._owner is not None and self._owner is asyncio.current_task():
            raise RuntimeError("inside a transaction, use its Tx, not the Database (this would deadlock)")


class Database(Engine):
    """The SQLite database. Open with :meth:`open`, close with :meth:`close`."""

    engine = "sqlite"

    def __init__(self, writer: _Worker, path: Path) -> None:
        self._writer = writer
        self._reader: _Reader | None = None
        self._lock = asyncio.Lock()
        self._queued = 0  # writes waiting for the lock: while any wait, a group stays open for them
        self._group: _Group | None = None  # the open group commit, if any
        self._prefix: Callable[[sqlite3.Connection], None] | None = None  # travels with a unit's first statement
        self._committers: set[asyncio.Task[None]] = set()
        #: Writes done and the commits that saved them (a group of n writes is one commit): bench, tests.
        self.writes = 0
        self.commits = 0
        self._tx = Tx(self._write)
        self._reads = Tx(self._read)
        self._owner: asyncio.Task[object] | None = None  # the task inside transaction(), if any
        self.path = path

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        path = Path(path)
        _ensure_writable_dir(path.parent)
        await _ensure_openable(path)
        writer = _Worker(path, "store-writer", reader=False)
        try:
            await writer.start()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        db = cls(writer, path)
        try:
            if migrate:
                await db.migrate()
            db._reader = _Reader(path)
            _owner_only(path)  # -wal and -shm now exist (SQLite gives them the database's mode)
        except sqlite3.DatabaseError as exc:
            await db.close()
            raise StoreError(f"cannot use database {path}: {exc}") from None
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        if self._committers:
            await asyncio.gather(*self._committers, return_exceptions=True)
        async with self._lock:
            if self._reader is not None:
                await self._reader.close()
                self._reader = None
            await self._writer.close()

    async def tables(self) -> dict[str, tuple[set[str], list[tuple[str, str, str]]]]:
        """Every table: its columns and its foreign keys as (column, parent table, parent column)."""
        names = [
            row["name"]
            for row in await self.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        found: dict[str, tuple[set[str], list[tuple[str, str, str]]]] = {}
        for table in names:
            columns = {row["name"] for row in await self.fetchall(f"PRAGMA table_info({table})")}
            keys = [
                (row["from"], row["table"], row["to"] or "id")
                for row in await self.fetchall(f"PRAGMA foreign_key_list({table})")
            ]
            found[table] = (columns, keys)
        return found

    async def used_ids(self) -> dict[str, int]:
        """The highest id each ``AUTOINCREMENT`` table ever gave (deleted rows included): ids are never
        reused (migration 0013, bot/store/rebuild.py), and a copy elsewhere must go on after these."""
        rows = await self.fetchall("SELECT name, seq FROM sqlite_sequence")
        return {row["name"]: int(row["seq"]) for row in rows}

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
            script = f"BEGIN IMMEDIATE;\n{migrations[version]}\nPRAGMA user_version = {version};"
            step = STEPS.get(version)

            if step is not None:  # a rebuild in Python: it can take a while on a large database
                log.info("applying database migration %04d (once; a large database may take a minute)", version)
            async with self._lock:
                problem = await self._writer.call(functools.partial(run_migration, script=script, step=step))
            if problem is not None:
                raise StoreError(f"migration {version} failed on {self.path}: {problem}")
            log.info("applied database migration %04d", version)
            applied.append(version)
        return applied

    # -- statements ---------------------------------------------------------------------------------

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """One round trip to the writer (the caller holds the lock); a unit's first carries its prefix."""
        prefix = self._prefix
        if prefix is None:
            return await self._writer.call(fn)
        self._prefix = None

        def prefixed(conn: sqlite3.Connection) -> T:
            prefix(conn)
            return fn(conn)

        return await self._writer.call(prefixed)

    async def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """On the reader (on the writer while the database is being opened)."""
        if self._reader is None:
            async with self._lock:
                return await self._writer.call(fn)
        return await self._reader.call(fn)

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._unit(single=True, alone=sql.lstrip()[:6].upper() == "PRAGMA") as tx:
            return await tx.execute(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        self._not_inside_transaction()
        if _reads_only(sql):
            return await self._reads.fetchone(sql, params)
        async with self._unit(single=True) as tx:
            return await tx.fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        self._not_inside_transaction()
        if _reads_only(sql):
            return await self._reads.fetchall(sql, params)
        async with self._unit(single=True) as tx:
            return await tx.fetchall(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """``async with db.transaction() as tx:`` — all or nothing, serialised with every other write."""
        async with self._unit(single=False) as tx:
            yield tx

    # -- group commit -------------------------------------------------------------------------------

    @asynccontextmanager
    async def _unit(self, *, single: bool, alone: bool = False) -> AsyncIterator[Tx]:
        """One write: a statement (``single``) or a transaction's block, serialised by the lock.

        Alone, a statement commits by itself and a block is ``BEGIN IMMEDIATE … COMMIT``, as ever. While
        other writes wait for the lock, the units run inside one group: one ``BEGIN IMMEDIATE``, each block
        in its own ``SAVEPOINT`` (a statement is atomic by itself), so a failing unit undoes only its own
        changes; the unit after which nobody waits (or the ``GROUP_MAX``-th) commits them all with one
        ``COMMIT`` — one fsync for many. No unit returns before that COMMIT has returned: saved means saved.
        A statement that must not run inside a transaction (``alone``: a PRAGMA) commits the open group
        first and runs by itself.
        """
        self._not_inside_transaction()
        self._queued += 1
        try:
            await self._lock.acquire()
        except BaseException:
            self._queued -= 1
            if self._queued == 0 and self._group is not None and not self._lock.locked():
                self._commit_abandoned()  # the unit that left the group open counted on this waiter
            raise
        self._queued -= 1
        group: _Group | None = None
        try:
            self._owner = asyncio.current_task()
            self.writes += 1
            if alone and self._group is not None:
                await self._leave(self._group, _Unit(), ok=True, commit=True)
            if single and self._group is None and (self._queued == 0 or alone):
                self.commits += 1
                yield self._tx  # alone: the statement is its own transaction
                return
            group = self._group or self._open_group()
            group.size += 1
            unit = _Unit()
            self._prefix = _entering(group, unit, savepoint=not single)
            ok = False
            try:
                yield self._tx
                ok = True
            finally:
                self._prefix = None
                commit = self._queued == 0 or group.size >= GROUP_MAX
                await self._leave(group, unit, ok=ok, commit=commit)
        finally:
            self._owner = None
            self._lock.release()
        if group is not None:
            await group.committed  # (a unit that failed has raised above: nothing of it is kept)

    def _open_group(self) -> _Group:
        group = _Group(asyncio.get_running_loop().create_future())
        group.committed.add_done_callback(_retrieved)
        self._group = group
        return group

    async def _leave(self, group: _Group, unit: _Unit, *, ok: bool, commit: bool) -> None:
        """Close the unit's savepoint (release it, or roll back to it) and, if ``commit``, the group: one
        round trip. The job runs whole even if the caller is cancelled; its outcome settles the group."""
        if commit and self._group is group:
            self._group = None  # whoever takes the lock next starts a new group (after this COMMIT: FIFO)
        job = self._writer.submit(lambda conn: _finish(conn, group, unit, ok=ok, commit=commit))

        def settle(done: asyncio.Future[BaseException | None]) -> None:
            problem = done.exception() if not done.cancelled() else None
            problem = problem or (None if done.cancelled() else done.result())
            if problem is not None:
                if self._group is group:
                    self._group = None
                if not group.committed.done():
                    group.committed.set_exception(StoreError(f"the database refused the commit: {problem}"))
            elif commit and not group.committed.done():
                self.commits += 1
                group.committed.set_result(None)

        job.add_done_callback(settle)
        await asyncio.shield(job)

    def _commit_abandoned(self) -> None:
        """Every write that waited for the lock gave up: commit the group it was left open for."""

        async def commit() -> None:
            async with self._lock:
                group = self._group
                if group is not None:
                    await self._leave(group, _Unit(), ok=True, commit=True)

        task = asyncio.get_running_loop().create_task(commit(), name="store-group-commit")
        self._committers.add(task)
        task.add_done_callback(self._committed)

    def _committed(self, task: asyncio.Task[None]) -> None:
        self._committers.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("committing a group of writes failed", exc_info=task.exception())


def available_migrations() -> dict[int, str]:
    """The numbered ``migrations/NNNN_name.sql`` files shipped with the package."""
    found: dict[int, str] = {}
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", entry.name)
        if match:
            found[int(match.group(1))] = entry.read_text(encoding="utf-8")
    return found


async def _ensure_openable(path: Path) -> None:
    """Refuse a path SQLite cannot open before any worker thread starts.

    (aiosqlite, used before, did not wait for its thread when connect failed, and the thread then
    called into a closed event loop.) A plain ``sqlite3`` open in a thread that is awaited has no such tail. The
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
