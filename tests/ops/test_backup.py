"""Issue 17: ``python -m bot backup`` while the bot writes, and ``restore`` that refuses a running bot's database."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.backup import DatabaseInUse, DatabaseLock
from fakediscord import FakeDiscord
from tests.procs import BotProcess
from tests.test_main import clean_env

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


async def cli(*args: str, data_dir: Path, **env: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env={**clean_env(), "DEBRIEF_DATA_DIR": str(data_dir), **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode, out.decode(), err.decode()


def prompt_ids(path: Path) -> set[int]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT id FROM prompts")}


async def test_a_backup_taken_while_prompts_are_written_holds_every_acknowledged_row(tmp_path):
    data = tmp_path / "data"
    store = await Store.open(data / "debrief.db")
    user = 4242
    await store.users.ensure(user, NOW)
    acknowledged: list[int] = []
    stop = asyncio.Event()
    progress = asyncio.Condition()

    async def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            async with store.transaction() as tx:
                prompt_id = await store.prompts.schedule(
                    tx, kind="debrief", subject_id=n, user_id=user, due_at=NOW + timedelta(hours=n), now=NOW
                )
            acknowledged.append(prompt_id)  # committed: the caller has been told it is saved
            async with progress:
                progress.notify_all()

    task = asyncio.create_task(writer())
    try:
        for round_ in range(3):
            async with progress:
                await progress.wait_for(lambda: len(acknowledged) >= 200 * (round_ + 1))  # noqa: B023
            before = set(acknowledged)
            target = tmp_path / f"backup-{round_}.db"
            code, out, err = await cli("backup", str(target), data_dir=data)
            during = len(acknowledged) - len(before)
            assert code == 0, err
            assert f"to {target}" in out
            copied = prompt_ids(target)
            assert before <= copied  # every row acknowledged before the backup began
            assert copied <= set(acknowledged)  # and nothing that was never committed
            assert during > 0, "the writer should have kept writing while the backup ran"
    finally:
        stop.set()
        await task
        await store.close()


async def test_restore_refuses_a_running_bots_database_and_works_once_it_stopped(tmp_path):
    data = tmp_path / "data"
    async with FakeDiscord(token="t") as fake:
        bot = BotProcess(fake, data, "t")
        await bot.start()
        code, out, err = await cli("backup", str(tmp_path / "b.db"), data_dir=data)
        assert code == 0, err
        code, out, err = await cli("restore", str(tmp_path / "b.db"), data_dir=data)
        assert code == 1
        [line] = err.strip().splitlines()
        assert "another Debrief process is using" in line and "stop it first" in line
        # A second bot on the same database is refused the same way.
        second = await cli(
            "run",
            data_dir=data,
            DISCORD_TOKEN="t",
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        assert second[0] == 1
        assert "another Debrief process is using" in second[2]
        assert await bot.stop() == 0

    # Something changes after the backup; the restore brings the backup's state back.
    store = await Store.open(data / "debrief.db")
    await store.users.ensure(99, NOW)
    await store.close()
    code, out, err = await cli("restore", str(tmp_path / "b.db"), data_dir=data)
    assert code == 0, err
    assert "restored" in out
    store = await Store.open(data / "debrief.db")
    try:
        assert await store.users.get(99) is None
    finally:
        await store.close()


def test_the_lock_is_exclusive_and_released(tmp_path):
    database = tmp_path / "debrief.db"
    with DatabaseLock(database), pytest.raises(DatabaseInUse):
        DatabaseLock(database, doing="restore").acquire()
    DatabaseLock(database).acquire().release()


async def test_backup_and_restore_name_what_is_wrong_in_one_line(tmp_path):
    code, _, err = await cli("backup", str(tmp_path / "b.db"), data_dir=tmp_path / "nothing-here")
    assert code == 1 and "no database at" in err and len(err.strip().splitlines()) == 1
    code, _, err = await cli("restore", str(tmp_path / "missing.db"), data_dir=tmp_path / "d")
    assert code == 1 and "no backup at" in err and len(err.strip().splitlines()) == 1
    code, _, err = await cli("backup", data_dir=tmp_path)
    assert code == 1 and "needs a path" in err


async def test_backup_and_restore_refuse_a_postgresql_store_and_say_what_to_use(tmp_path):
    """With the store on PostgreSQL, backup and restore of the SQLite file would copy stale or no data."""
    lite = await Store.open(tmp_path / "debrief.db")  # an old SQLite file left in the data directory
    await lite.close()
    url = {"DEBRIEF_DATABASE": "postgresql://debrief@127.0.0.1:1/debrief"}
    for args in (("backup", str(tmp_path / "b.db")), ("restore", str(tmp_path / "debrief.db"))):
        code, out, err = await cli(*args, data_dir=tmp_path, **url)
        assert code == 1 and "pg_dump" in err and len(err.strip().splitlines()) == 1, (out, err)
    assert not (tmp_path / "b.db").exists()
