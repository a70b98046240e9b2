"""``python -m bot migrate-store --to postgresql://…``: copy the SQLite database into PostgreSQL.

The bot must be stopped (the SQLite file's lock is taken, as a restore does). Both databases are first
brought to the same schema version by their own migrations; the target must be empty (every table
without a row), so a second run, or a run against a database already in use, is refused. Tables are
copied parents first (the order is read from the foreign keys), all in one PostgreSQL transaction: a
failure leaves the target as empty as it was. The identity sequences are then moved past the copied
ids and past every id SQLite ever gave (a deleted row's id, which an old button may carry, is never given
again), and every table's row count is compared between the two databases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.store.backup import DatabaseLock
from bot.store.db import Database, StoreError
from bot.store.pg import PgDatabase

#: Rows read from SQLite and sent to PostgreSQL at a time (memory stays flat whatever the size).
CHUNK = 5000


def dependency_order(schema: dict[str, tuple[set[str], list[tuple[str, str, str]]]]) -> list[str]:
    """Tables, every parent before its children (a self-reference, like an earlier round, is no edge)."""
    order: list[str] = []
    placed: set[str] = set()
    remaining = sorted(schema)
    while remaining:
        ready = [t for t in remaining if all(p in placed or p == t for _c, p, _to in schema[t][1])]
        if not ready:
            raise StoreError(f"the foreign keys of {', '.join(remaining)} form a cycle; cannot order the copy")
        order.extend(ready)
        placed.update(ready)
        remaining = [t for t in remaining if t not in placed]
    return order


async def copy_sqlite_to_postgresql(
    source: Path, url: str, say: Callable[[str], None] = lambda _line: None
) -> dict[str, int]:
    """Copy every table of the SQLite database at ``source`` into the empty PostgreSQL database at ``url``;
    returns the rows copied per table."""
    if not Path(source).is_file():  # noqa: ASYNC240 (one stat before anything starts)
        raise StoreError(f"no database at {source}; is the data directory right (DEBRIEF_DATA_DIR)?")
    with DatabaseLock(Path(source), doing="migrate the store"):
        lite = await Database.open(Path(source))
        try:
            target = await PgDatabase.open(url)
            try:
                return await _copy(lite, target, say)
            finally:
                await target.close()
        finally:
            await lite.close()


async def _copy(lite: Database, target: PgDatabase, say: Callable[[str], None]) -> dict[str, int]:
    if await lite.schema_version() != await target.schema_version():
        raise StoreError(
            f"schema versions differ (SQLite {await lite.schema_version()}, PostgreSQL "
            f"{await target.schema_version()}); this Debrief's migrations should have aligned them"
        )
    schema = await lite.tables()
    theirs = await target.tables()
    if set(schema) != set(theirs):
        raise StoreError(f"the two schemas hold different tables: {sorted(set(schema) ^ set(theirs))}")
    for table in schema:
        if await target.fetchone(f"SELECT 1 FROM {table} LIMIT 1") is not None:
            raise StoreError(f"the PostgreSQL database is not empty (table {table} has rows); give an empty one")
    order = dependency_order(schema)
    copied: dict[str, int] = {}
    async with target.copying(await lite.used_ids()) as copy:
        for table in order:
            columns = sorted(schema[table][0])
            names = ", ".join(columns)
            copied[table] = 0
            last = None
            while True:
                # By rowid: every table has one, and a seek per chunk keeps the copy linear.
                if last is None:
                    rows = await lite.fetchall(f"SELECT rowid, {names} FROM {table} ORDER BY rowid LIMIT ?", (CHUNK,))
                else:
                    rows = await lite.fetchall(
                        f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, CHUNK)
                    )
                if not rows:
                    break
                last = rows[-1][0]
                await copy(table, columns, [tuple(row)[1:] for row in rows])
                copied[table] += len(rows)
            say(f"{table}: {copied[table]} rows")
    for table in order:
        row = await target.fetchone(f"SELECT COUNT(*) FROM {table}")
        there = int(row[0]) if row else 0
        if there != copied[table]:
            raise StoreError(f"table {table}: {copied[table]} rows copied but PostgreSQL holds {there}")
        row = await lite.fetchone(f"SELECT COUNT(*) FROM {table}")
        if row is None or int(row[0]) != there:
            raise StoreError(f"table {table}: SQLite holds {row[0] if row else '?'} rows, PostgreSQL {there}")
    return copied
