"""A throwaway PostgreSQL server for the tests that run on both engines (issue 18).

One server per test session (per xdist worker): ``initdb`` into a temporary directory, ``pg_ctl start``
on 127.0.0.1 with a free port and its socket in that directory, durability off (a test's data is thrown
away). One database, migrated once, serves the session's tests one after another: before each, every
table is emptied (``TRUNCATE … RESTART IDENTITY``, milliseconds; ``CREATE DATABASE`` from a template
took over a second here). A test that needs an empty database gets a schema of its own.

Used when ``DEBRIEF_TEST_PG=1`` or when the server binaries are found (``DEBRIEF_PG_BIN``, else
``/usr/lib/postgresql/*/bin``, else ``PATH``); ``DEBRIEF_TEST_PG=0`` turns it off. A PostgreSQL test never
skips silently in CI: with ``CI`` or ``DEBRIEF_REQUIRE_PG=1`` set, a server that cannot start fails
the tests that need it. As root (a container), the server runs as the ``postgres`` user, since
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ENGINES = ("sqlite", "postgresql")
USER = "debrief"
DATABASE = "debrief_test"


def required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("DEBRIEF_REQUIRE_PG") == "1"


def find_bin() -> Path | None:
    given = os.environ.get("DEBRIEF_PG_BIN")
    if given:
        return Path(given) if (Path(given) / "initdb").exists() else None
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        """``durable``: fsync and synchronous commits on, as a real server (for benchmarks); off for tests."""
        self.bindir = bindir
        self.durable = durable
        self.dir = Path(tempfile.mkdtemp(prefix="debrief-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self._as: list[str] = []
        self._names = itertools.count()
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no postgres user to run the server as") from None
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.dir)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} "
            "-c max_connections=300 -c shared_buffers=32MB"
            + ("" if self.durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        )
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "-t", "60", "start")  # fmt: skip
        # In a thread of its own: the fixture may be first asked for while a test's event loop runs.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, self._make_template()).result()

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    async def _admin(self, sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url("postgres"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def _make_template(self) -> None:
        from bot.store.pg import PgDatabase

        await self._admin(f"CREATE DATABASE {DATABASE}")
        db = await PgDatabase.open(self.url(DATABASE))
        await db.close()

    async def create(self, *, empty: bool = False) -> str:
        """The migrated database with every table emptied, or (``empty``) a new schema with nothing in it;
        returns its URL."""
        import asyncpg

        conn = await asyncpg.connect(self.url(DATABASE))
        try:
            if empty:
                schema = f"empty_{next(self._names)}"
                await conn.execute(f"CREATE SCHEMA {schema}")
                return f"{self.url(DATABASE)}?search_path={schema}"
            tables = await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'schema_version'"
            )
            await conn.execute(f"TRUNCATE {', '.join(t[0] for t in tables)} RESTART IDENTITY CASCADE")
            return self.url(DATABASE)
        finally:
            await conn.close()

    async def drop(self, url: str) -> None:
        pass  # emptied by the next test

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def query(target: Path | str, sql: str) -> list[tuple]:
    """Rows of one statement, read by a test on its own connection: a SQLite file or a PostgreSQL URL
    (from synchronous code, even while a test's event loop runs)."""
    if isinstance(target, Path):
        import sqlite3

        with contextlib.closing(sqlite3.connect(target)) as conn:
            return conn.execute(sql).fetchall()

    async def fetch() -> list[tuple]:
        import asyncpg

        conn = await asyncpg.connect(target)
        try:
            return [tuple(row) for row in await conn.fetch(sql)]
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def _unavailable(reason: str) -> None:
    if required():
        pytest.fail(f"PostgreSQL is required here (CI or DEBRIEF_REQUIRE_PG=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests not run: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | str]:
    """The session's server, or the reason there is none (told to each test that asks for it)."""
    if os.environ.get("DEBRIEF_TEST_PG") == "0" and not required():
        yield "DEBRIEF_TEST_PG=0"
        return
    bindir = find_bin()
    if bindir is None:
        yield "no PostgreSQL server binaries found (set DEBRIEF_PG_BIN)"
        return
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        yield "asyncpg is not installed (pip install -e '.[test]')"
        return
    server = PgServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop()
        yield f"the server did not start: {exc}"
        return
    try:
        yield server
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def database(request: pytest.FixtureRequest, *, empty: bool = False) -> AsyncIterator[str]:
    """A fresh PostgreSQL database of its own (migrated unless ``empty``), dropped afterwards; for a
    fixture parametrized over :data:`ENGINES` (an async fixture cannot ask for another async fixture
    by name, so this is a context manager on the session's server)."""
    server = request.getfixturevalue("pg_server")
    if isinstance(server, str):
        _unavailable(server)
    url = await server.create(empty=empty)
    try:
        yield url
    finally:
        await server.drop(url)


@pytest.fixture
async def pg_url(pg_server: PgServer | str) -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL database of its own for this test."""
    if isinstance(pg_server, str):
        _unavailable(pg_server)
    url = await pg_server.create()
    try:
        yield url
    finally:
        await pg_server.drop(url)
