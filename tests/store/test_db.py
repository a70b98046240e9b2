"""The database: WAL, foreign keys, migrations applied once, a newer schema refused."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.store import Store, StoreError
from bot.store.db import Database, available_migrations

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def test_opens_in_wal_with_foreign_keys(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert await db.schema_version() == max(available_migrations())
    finally:
        await db.close()


async def test_second_open_applies_nothing(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    await db.close()
    db = await Database.open(tmp_path / "d.db", migrate=False)
    try:
        assert await db.migrate() == []
    finally:
        await db.close()


async def test_creates_missing_data_directory(tmp_path):
    path = tmp_path / "deep" / "er" / "d.db"
    db = await Database.open(path)
    await db.close()
    assert path.exists()


async def test_newer_database_is_refused_with_one_line(tmp_path):
    path = tmp_path / "d.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError) as info:
        await Database.open(path)
    assert "newer" in str(info.value) and "999" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
async def test_unwritable_directory_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(StoreError, match="not writable"):
        await Database.open(locked / "d.db")


async def test_unwritable_directory_is_refused_even_as_root(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot be created"):
        await Database.open(blocker / "sub" / "d.db")


async def test_transaction_rolls_back_on_error(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    try:
        with pytest.raises(RuntimeError):
            async with store.transaction() as tx:
                await tx.execute("INSERT INTO users (id, created_at) VALUES (1, 0)")
                raise RuntimeError("boom")
        assert await store.users.get(1) is None
    finally:
        await store.close()


async def test_forgetting_a_user_cascades(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    try:
        await store.users.ensure(7, NOW)
        async with store.transaction() as tx:
            iid = await store.interviews.add(tx, user_id=7, company="Acme", stage="technical", starts_at=NOW, now=NOW)
            await store.prompts.schedule(tx, kind="debrief", subject_id=iid, user_id=7, due_at=NOW, now=NOW)
        await store.users.delete(7)
        for table in ("interviews", "prompts"):
            assert (await store.db.fetchone(f"SELECT COUNT(*) FROM {table}"))[0] == 0
    finally:
        await store.close()


async def test_database_call_inside_a_transaction_fails_fast_instead_of_deadlocking(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    try:
        with pytest.raises(RuntimeError, match="deadlock"):
            async with store.transaction():
                await store.users.get(1)
        assert await store.users.get(1) is None  # the lock was released
    finally:
        await store.close()


def test_a_database_that_cannot_be_opened_leaves_no_thread_behind(tmp_path):
    """Issue 11.10: after the StoreError nothing is still running that would call into the closed loop.

    Before, aiosqlite's worker thread resolved a future after ``asyncio.run`` had closed the loop, so
    "RuntimeError: Event loop is closed" followed the one-line error (a race, hence several tries).
    """
    import asyncio
    import threading

    directory = tmp_path / "a-directory"
    directory.mkdir()
    errors: list[BaseException | None] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)
    try:
        for _ in range(20):
            before = set(threading.enumerate())
            loop = asyncio.new_event_loop()
            with pytest.raises(StoreError, match="is a directory"):
                loop.run_until_complete(Store.open(directory))
            loop.close()
            for thread in set(threading.enumerate()) - before:
                thread.join(10)
    finally:
        threading.excepthook = previous
    assert errors == []


async def test_a_read_does_not_wait_behind_an_open_write_transaction(tmp_path):
    """Issue 15: WAL lets readers run beside the writer; a read never queues behind a transaction."""
    import asyncio

    store = await Store.open(tmp_path / "d.db")
    try:
        await store.users.ensure(1, NOW)
        async with store.transaction() as tx:
            await tx.execute("UPDATE users SET timezone = 'Europe/Paris' WHERE id = 1")
            # Another task reads while this transaction is open: it must not wait for the commit
            # (10 s is a runaway bound, not a timing: the read takes well under a millisecond).
            seen = await asyncio.wait_for(asyncio.create_task(store.users.get(1)), 10)
            assert seen is not None and seen.timezone is None  # the last committed state
        assert (await store.users.get(1)).timezone == "Europe/Paris"
    finally:
        await store.close()


async def test_writes_from_many_tasks_stay_atomic(tmp_path):
    """Concurrent multi-statement transactions never interleave: each is all or nothing."""
    import asyncio

    store = await Store.open(tmp_path / "d.db")
    try:

        async def move(n: int) -> None:
            async with store.transaction() as tx:
                await tx.execute("INSERT INTO users (id, created_at) VALUES (?, 0)", (1000 + n,))
                await asyncio.sleep(0)
                if n % 3 == 0:
                    raise RuntimeError("boom")
                await tx.execute("UPDATE users SET timezone = 'UTC' WHERE id = ?", (1000 + n,))

        results = await asyncio.gather(*(move(n) for n in range(60)), return_exceptions=True)
        assert sum(isinstance(r, RuntimeError) for r in results) == 20
        rows = await store.db.fetchall("SELECT id, timezone FROM users WHERE id >= 1000")
        assert len(rows) == 40 and all(row["timezone"] == "UTC" and (row["id"] - 1000) % 3 for row in rows)
    finally:
        await store.close()


# -- group commit (issue 15) ----------------------------------------------------------------------


def _meta_seen_by_another_connection(path, key: str) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


async def test_writes_waiting_together_share_commits_and_none_returns_before_it_is_saved(tmp_path):
    import asyncio

    path = tmp_path / "d.db"
    db = await Database.open(path)
    seen: dict[str, str | None] = {}

    async def write(n: int) -> None:
        if n % 3:
            await db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", f"v{n}"))
        else:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", "first"))
                await tx.execute("UPDATE meta SET value = ? WHERE key = ?", (f"v{n}", f"k{n}"))
        # Returned: committed, so another connection (another process, after a crash) sees it now.
        seen[f"k{n}"] = _meta_seen_by_another_connection(path, f"k{n}")

    try:
        before = (db.writes, db.commits)
        await asyncio.gather(*(write(n) for n in range(120)))
        writes, commits = db.writes - before[0], db.commits - before[1]
    finally:
        await db.close()
    assert seen == {f"k{n}": f"v{n}" for n in range(120)}
    assert writes == 120
    assert commits < writes  # they waited for the lock together, so they shared commits


async def test_a_failing_write_in_a_group_undoes_only_itself(tmp_path):
    import asyncio

    path = tmp_path / "d.db"
    db = await Database.open(path)

    async def good(n: int) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"good{n}", "yes"))

    async def bad() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('bad', 'half')")
            raise RuntimeError("the use case changed its mind")

    async def clash() -> None:
        await db.execute("INSERT INTO meta (key, value) VALUES ('good0', 'again')")  # a primary key clash

    try:
        before = db.commits
        results = await asyncio.gather(
            good(0), bad(), good(1), clash(), good(2), *(good(n) for n in range(3, 20)), return_exceptions=True
        )
        commits = db.commits - before
        rows = dict(await db.fetchall("SELECT key, value FROM meta WHERE key LIKE 'good%' OR key = 'bad'"))
    finally:
        await db.close()
    assert isinstance(results[1], RuntimeError)
    assert isinstance(results[3], sqlite3.IntegrityError)
    assert [r for i, r in enumerate(results) if i not in (1, 3)] == [None] * 20
    assert rows == {f"good{n}": "yes" for n in range(20)}  # 'bad' rolled back alone; the clash changed nothing
    assert commits < 20
    assert _meta_seen_by_another_connection(path, "good19") == "yes"


async def test_a_pragma_waiting_among_other_writes_runs_by_itself(tmp_path):
    """A PRAGMA cannot run inside the group's transaction (query_only ON refuses its BEGIN IMMEDIATE):
    it commits what is open and runs alone. (The read-only-disk test flaked on this under load.)"""
    import asyncio

    db = await Database.open(tmp_path / "d.db")
    try:
        await db.execute("PRAGMA query_only = ON")
        refused, back_on, written = await asyncio.gather(
            db.execute("INSERT INTO meta (key, value) VALUES ('k1', 'v')"),
            db.execute("PRAGMA query_only = OFF"),
            db.execute("INSERT INTO meta (key, value) VALUES ('k2', 'v')"),
            return_exceptions=True,
        )
        assert isinstance(refused, StoreError)
        assert not isinstance(back_on, BaseException), back_on
        assert not isinstance(written, BaseException), written
        assert [tuple(r) for r in await db.fetchall("SELECT key FROM meta WHERE key LIKE 'k%'")] == [("k2",)]
    finally:
        await db.close()
