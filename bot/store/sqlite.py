"""SQLite's side of the store's engine (bot/store/db.py): the connections and the group commit's pieces.

* :class:`_Worker` — a thread owning the writer connection; a call is one round trip to it.
* :class:`_Reader` — a read-only connection used on the event loop itself (WAL: reads beside writes).
* The group commit (:meth:`bot.store.db.Database._unit`): :class:`_Group`, :class:`_Unit`, and the two
  functions that run on the writer's thread, :func:`_entering` (BEGIN IMMEDIATE once per group, a
  SAVEPOINT per transaction) and :func:`_finish` (end the savepoint; COMMIT the group).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
#: A WAL reader is refused only in rare moments (recovery after a crash); it runs on the event loop,
#: so it waits less than the writer before it gives up.
READER_BUSY_TIMEOUT_MS = 1000


def _connect(path: Path, *, reader: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={READER_BUSY_TIMEOUT_MS if reader else BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        if reader:
            conn.execute("PRAGMA query_only=ON")
        else:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


class _Reader:
    """A read-only connection used on the event loop itself: a call is a plain function call."""

    def __init__(self, path: Path) -> None:
        self._conn = _connect(path, reader=True)

    async def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return fn(self._conn)

    async def close(self) -> None:
        self._conn.close()


class _Worker:
    """A thread owning one connection: :meth:`call` runs a function on it in one round trip."""

    def __init__(self, path: Path, name: str, *, reader: bool) -> None:
        self._path = path
        self._reader = reader
        self._jobs: queue.SimpleQueue[tuple[Callable[[sqlite3.Connection], Any], asyncio.Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._loop = asyncio.get_running_loop()
        self._opened: asyncio.Future[None] = self._loop.create_future()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    async def start(self) -> None:
        self._thread.start()
        try:
            await self._opened
        except BaseException:
            await asyncio.to_thread(self._thread.join)
            raise

    def _settle(self, future: asyncio.Future[Any], ok: bool, value: Any) -> None:
        def settle() -> None:
            if future.done():
                return  # the caller was cancelled; the call itself ran (or will) all the same
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        try:
            self._loop.call_soon_threadsafe(settle)
        except RuntimeError:
            pass  # the event loop is closed: nobody is waiting any more

    def _run(self) -> None:
        try:
            conn = _connect(self._path, reader=self._reader)
        except sqlite3.Error as exc:
            self._settle(self._opened, False, exc)
            return
        self._settle(self._opened, True, None)
        try:
            while (job := self._jobs.get()) is not None:
                fn, future = job
                try:
                    result = fn(conn)
                except BaseException as exc:  # handed to the caller, who decides
                    self._settle(future, False, exc)
                else:
                    self._settle(future, True, result)
        finally:
            conn.close()

    def submit(self, fn: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        future: asyncio.Future[T] = self._loop.create_future()
        self._jobs.put((fn, future))
        return future

    async def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return await self.submit(fn)

    async def close(self) -> None:
        self._jobs.put(None)
        await asyncio.to_thread(self._thread.join)


#: A group commits after this many units even while more writes wait (bounds the first one's wait).
GROUP_MAX = 32


class _Group:
    """Writes committed together: ``committed`` resolves once their one COMMIT has returned."""

    def __init__(self, committed: asyncio.Future[None]) -> None:
        self.committed = committed
        self.size = 0
        self.begun = False  # BEGIN IMMEDIATE has run (set on the writer's thread, read after its job)


class _Unit:
    def __init__(self) -> None:
        self.opened = False  # its SAVEPOINT has run


class _GroupLost(sqlite3.OperationalError):
    """The group's transaction ended under it (SQLite rolls back by itself on some I/O errors)."""


def _entering(group: _Group, unit: _Unit, *, savepoint: bool) -> Callable[[sqlite3.Connection], None]:
    def enter(conn: sqlite3.Connection) -> None:
        if not group.begun:
            conn.execute("BEGIN IMMEDIATE")
            group.begun = True
        elif not conn.in_transaction:
            raise _GroupLost("the transaction of this group of writes was rolled back")
        if savepoint:
            conn.execute("SAVEPOINT unit")
            unit.opened = True

    return enter


def _finish(conn: sqlite3.Connection, group: _Group, unit: _Unit, *, ok: bool, commit: bool) -> BaseException | None:
    """On the writer's thread: end the unit's savepoint, and commit the group if asked. Returns what went
    wrong for the whole group (never raises): then nothing of the group is kept."""
    try:
        if group.begun and not conn.in_transaction:
            return _GroupLost("the transaction of this group of writes was rolled back")
        if unit.opened:
            if not ok:
                conn.execute("ROLLBACK TO unit")
            conn.execute("RELEASE unit")
        if commit and group.begun:
            conn.execute("COMMIT")
        return None
    except sqlite3.Error as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        return exc


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()  # (a failed group nobody awaits any more is not an unhandled error)


def run_migration(
    conn: sqlite3.Connection, *, script: str, step: Callable[[sqlite3.Connection], None] | None
) -> str | None:
    """Run one migration (its SQL, then its Python step) in the writer's thread; the error's text, or None.

    Foreign keys are off while it runs (SQLite's own procedure for a table rebuild: dropping a parent
    must not cascade), and every reference is checked before it commits. Only references this migration
    broke count: one broken before it (a hand edit, an old restore) must not stop every later migration,
    and so the bot, from starting."""
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        already = set(conn.execute("PRAGMA foreign_key_check").fetchall())
        conn.executescript(script)
        if step is not None:
            step(conn)
        broken = [r for r in conn.execute("PRAGMA foreign_key_check").fetchall() if r not in already]
        if broken:
            raise sqlite3.IntegrityError(f"{len(broken)} rows would lose their parent ({broken[0][0]})")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if not isinstance(exc, sqlite3.Error):
            raise
        return str(exc)
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
    return None
