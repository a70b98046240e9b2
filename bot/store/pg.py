"""The PostgreSQL engine (asyncpg): the same interface as :mod:`bot.store.db`, for several bot processes.

Chosen with ``DEBRIEF_DATABASE=postgresql://…`` (or ``storage.database`` in the config file); SQLite
stays the default. The store's modules keep one SQL text per statement, written in SQLite's dialect
where both engines agree; this engine turns its ``?`` placeholders into ``$1, $2 …`` (outside quoted
strings) and, for an ``INSERT`` into a table with an ``id`` column, appends ``RETURNING id`` so that
:meth:`Tx.execute` returns the new row's id as SQLite's ``lastrowid`` does. Statements the dialects
cannot share carry a small per-engine variant next to them (``db.engine == "postgresql"``).

* **Writes** run on one connection, serialised in this process with an asyncio lock, exactly as the
  SQLite engine does: a transaction (``BEGIN … COMMIT``) holds it for its whole block, so the services'
  read-then-write transactions behave as they do on SQLite within a process. Across processes,
  PostgreSQL's row locks and the claim's ``FOR UPDATE SKIP LOCKED`` keep writes safe.
* **Reads** (a plain ``SELECT`` outside a transaction) go to a small pool, never waiting behind writes.
* A uniqueness clash raises :class:`~bot.store.db.Conflict`; any other refusal :class:`StoreError`.
  asyncpg's exceptions stay in this module. No statement or parameter is ever logged.
* The schema version lives in ``schema_version``; migrations are ``migrations_pg/NNNN_*.sql``, numbered
  as SQLite's, each applied in one transaction under an advisory lock, so two processes starting at
  once do not both apply it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from bot.store.db import Conflict, Engine, StoreError

try:
    import asyncpg
except ImportError:  # the optional extra "postgresql" is not installed
    asyncpg = None  # type: ignore[assignment]

Params = Sequence[Any] | dict[str, Any]

#: ``pg_advisory_xact_lock`` keys (the two-key form) for migrations; claims take (LOCKS, 2), and each
#: claimed prompt is locked by its id in the one-key form (bot/store/prompts.py).
LOCKS, MIGRATING = 0x4442, 1
READ_POOL_SIZE = 4

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:[A-Za-z_]\w*")
_INSERT_INTO = re.compile(r"\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def translate(sql: str) -> tuple[str, tuple[str, ...]]:
    """``?`` placeholders to ``$1, $2 …``, and named ones (``:name``, as SQLite takes with a dict) to a
    number per name; quoted strings, identifiers and ``::`` casts are left alone. Returns the text and the
    names in number order (empty for ``?`` placeholders).

    One pass of a regular expression whose alternatives each consume a quoted run or one placeholder:
    linear in the statement's length (statements are the store's own text, never a user's)."""
    count = 0
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        nonlocal count
        token = match.group(0)
        if token == "?":
            count += 1
            return f"${count}"
        if token.startswith(":") and token != "::":
            if token[1:] not in names:
                names.append(token[1:])
            return f"${names.index(token[1:]) + 1}"
        return token

    return _TOKENS.sub(number, sql), tuple(names)


def _args(params: Params, names: tuple[str, ...]) -> Sequence[Any]:
    """The statement's arguments in number order: a dict's values by name, a sequence as it is."""
    if isinstance(params, dict):
        return [params[name] for name in names]
    return params


def _rowcount(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") as a row count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _where(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


class Tx:
    """Statements on one connection (a transaction's, or the read pool's)."""

    def __init__(self, db: PgDatabase, acquire: Callable[[], Any]) -> None:
        self._db = db
        self._acquire = acquire  # an async context manager giving a connection
        self.on_statement: Callable[[str, float], None] | None = None

    async def _run(self, sql: str, run: Callable[[Any, str, tuple[str, ...]], Any]) -> Any:
        started = time.perf_counter()
        text, names = self._db.translated(sql)
        try:
            async with self._acquire() as conn:
                return await run(conn, text, names)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise Conflict(str(exc)) from exc
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            raise StoreError(f"the database refused the statement: {exc}") from exc
        finally:
            if self.on_statement is not None:
                self.on_statement(sql.lstrip(), time.perf_counter() - started)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the new row's id for an INSERT into a table with an ``id``, else the row count."""
        insert = _INSERT_INTO.match(sql)
        if insert and insert.group(1) in self._db.id_tables and not _RETURNING.search(sql):
            sql = f"{sql} RETURNING id"

            async def returning(conn: Any, text: str, names: tuple[str, ...]) -> int:
                rows = await conn.fetch(text, *_args(params, names))
                return int(rows[0][0]) if rows else 0

            return await self._run(sql, returning)

        async def run(conn: Any, text: str, names: tuple[str, ...]) -> int:
            return _rowcount(await conn.execute(text, *_args(params, names)))

        return await self._run(sql, run)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async def run(conn: Any, text: str, names: tuple[str, ...]) -> None:
            args = [tuple(_args(row, names)) for row in rows]
            if args:
                await conn.executemany(text, args)

        await self._run(sql, run)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        async def run(conn: Any, text: str, names: tuple[str, ...]) -> Any:
            return await conn.fetchrow(text, *_args(params, names))

        return await self._run(sql, run)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        async def run(conn: Any, text: str, names: tuple[str, ...]) -> list[Any]:
            return await conn.fetch(text, *_args(params, names))

        return await self._run(sql, run)


def _reads_only(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class PgDatabase(Engine):
    """A PostgreSQL database. Open with :meth:`open`, close with :meth:`close`."""

    engine = "postgresql"

    def __init__(self, url: str, writer: Any, pool: Any) -> None:
        self.url = url
        self.path = None  # no file: the server holds the data
        self._writer = writer
        self._pool = pool
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._translated: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.id_tables: frozenset[str] = frozenset()
        self._tx = Tx(self, self._on_writer)
        self._reads = Tx(self, pool.acquire)

    @asynccontextmanager
    async def _on_writer(self) -> AsyncIterator[Any]:
        yield self._writer

    def translated(self, sql: str) -> tuple[str, tuple[str, ...]]:
        found = self._translated.get(sql)
        if found is None:
            found = self._translated[sql] = translate(sql)
        return found

    @classmethod
    async def open(cls, url: str, *, migrate: bool = True) -> PgDatabase:
        if asyncpg is None:
            raise StoreError("PostgreSQL needs the asyncpg package: pip install 'debrief[postgresql]'")
        try:
            writer = await asyncpg.connect(url)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise StoreError(f"cannot open database {_where(url)}: {exc}") from None
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=READ_POOL_SIZE)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await writer.close()
            raise StoreError(f"cannot open database {_where(url)}: {exc}") from None
        db = cls(url, writer, pool)
        try:
            if migrate:
                await db.migrate()
            await db._read_id_tables()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        async with self._lock:
            await self._pool.close()
            await self._writer.close()

    async def _read_id_tables(self) -> None:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'id'"
        )
        self.id_tables = frozenset(row[0] for row in rows)

    async def tables(self) -> dict[str, tuple[set[str], list[tuple[str, str, str]]]]:
        """Every table: its columns and its foreign keys as (column, parent table, parent column)."""
        columns: dict[str, set[str]] = {}
        for row in await self.fetchall(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
        ):
            columns.setdefault(row[0], set()).add(row[1])
        keys: dict[str, list[tuple[str, str, str]]] = {table: [] for table in columns}
        for row in await self.fetchall(
            "SELECT cl.relname, a.attname, pcl.relname, pa.attname FROM pg_constraint k "
            "JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pcl ON pcl.oid = k.confrelid "
            "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
            "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
            "WHERE k.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace"
        ):
            keys.setdefault(row[0], []).append((row[1], row[2], row[3]))
        return {table: (columns[table], keys.get(table, [])) for table in sorted(columns) if table != "schema_version"}

    # -- migrations ---------------------------------------------------------------------------------

    async def schema_version(self) -> int:
        row = await self.fetchone(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = 'schema_version'"
        )
        if row is None:
            return 0
        row = await self.fetchone("SELECT MAX(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self) -> list[int]:
        """Apply every migration newer than the database; returns the versions applied."""
        migrations = available_migrations()
        latest = max(migrations, default=0)
        applied: list[int] = []
        async with self._lock:
            conn = self._writer
            try:
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", LOCKS, MIGRATING)
                    await conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT)"
                    )
                    current = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
                    if current > latest:
                        raise StoreError(
                            f"database {_where(self.url)} is at schema version {current}, newer than this Debrief "
                            f"understands ({latest}); run a newer Debrief"
                        )
                    for version in sorted(v for v in migrations if v > current):
                        await conn.execute(migrations[version])
                        await conn.execute(
                            "INSERT INTO schema_version (version, applied_at) "
                            "VALUES ($1, EXTRACT(EPOCH FROM now())::BIGINT)",
                            version,
                        )
                        applied.append(version)
            except asyncpg.PostgresError as exc:
                raise StoreError(f"migration failed on {_where(self.url)}: {exc}") from None
        return applied

    # -- statements ---------------------------------------------------------------------------------

    async def execute(self, sql: str, params: Params = ()) -> int:
        self._not_inside_transaction()
        async with self._lock:
            return await self._tx.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self._not_inside_transaction()
        async with self._lock:
            await self._tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        self._not_inside_transaction()
        if _reads_only(sql):
            return await self._reads.fetchone(sql, params)
        async with self._lock:
            return await self._tx.fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        self._not_inside_transaction()
        if _reads_only(sql):
            return await self._reads.fetchall(sql, params)
        async with self._lock:
            return await self._tx.fetchall(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """``async with db.transaction() as tx:`` — all or nothing, serialised with this process's writes."""
        self._not_inside_transaction()
        async with self._lock:
            self._owner = asyncio.current_task()
            transaction = self._writer.transaction()
            try:
                try:
                    await transaction.start()
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                    raise StoreError(f"the database refused the transaction: {exc}") from exc
                try:
                    yield self._tx
                except BaseException:
                    if not self._writer.is_closed():
                        await transaction.rollback()
                    raise
                try:
                    await transaction.commit()
                except asyncpg.IntegrityConstraintViolationError as exc:
                    raise Conflict(str(exc)) from exc
                except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
                    raise StoreError(f"the database refused the commit: {exc}") from exc
            finally:
                self._owner = None

    @asynccontextmanager
    async def copying(
        self, used: dict[str, int] | None = None
    ) -> AsyncIterator[Callable[[str, list[str], list[tuple]], Any]]:
        """One transaction for a bulk copy (bot/store/transfer.py): yields ``copy(table, columns, rows)``,
        which sends rows with PostgreSQL's COPY; at the end every identity column is moved past the
        largest id copied and past ``used[table]`` (the highest id the source ever gave, deleted rows
        included), so the next insert neither collides nor takes an id an old button still carries."""
        self._not_inside_transaction()
        async with self._lock:
            conn = self._writer

            async def copy(table: str, columns: list[str], rows: list[tuple]) -> None:
                await conn.copy_records_to_table(table, records=rows, columns=columns)

            try:
                async with conn.transaction():
                    yield copy
                    for table, column in await conn.fetch(
                        "SELECT table_name, column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
                    ):
                        await conn.execute(
                            f"SELECT setval(pg_get_serial_sequence($1, $2), "
                            f"GREATEST(COALESCE((SELECT MAX({column}) FROM {table}), 0), $3::bigint) + 1, false)",
                            table,
                            column,
                            (used or {}).get(table, 0),
                        )
            except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                raise StoreError(f"the copy into {_where(self.url)} failed: {exc}") from None


def available_migrations() -> dict[int, str]:
    """The numbered ``migrations_pg/NNNN_name.sql`` files, numbered as SQLite's ``migrations/``."""
    found: dict[int, str] = {}
    for entry in resources.files("bot.store").joinpath("migrations_pg").iterdir():
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", entry.name)
        if match:
            found[int(match.group(1))] = entry.read_text(encoding="utf-8")
    return found
