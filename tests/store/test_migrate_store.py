"""``python -m bot migrate-store --to postgresql://…`` (issue 18): a database made through the real store, on
SQLite, copied into PostgreSQL by the real command; every row arrives, the copy is usable, and a target
that is not empty is refused."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import Store
from tests import pg
from tests.procs import ROOT

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
BIG = 2**62 + 7  # a Discord-sized id: needs 64 bits


@pytest.fixture
async def empty_pg(request):
    async with pg.database(request, empty=True) as url:
        yield url


async def made_through_the_store(path: Path) -> Store:
    """Every table holds rows, written by the store's own methods."""
    store = await Store.open(path)
    for user in (1, 2, BIG):
        await store.users.ensure(user, NOW)
    await store.users.set_timezone(1, "Europe/Berlin")
    await store.guilds.ensure(900, NOW)
    await store.guilds.set_channel(900, "notice_channel_id", 902)
    await store.users.seen_in(1, 900, 901, NOW)
    async with store.transaction() as tx:
        first = await store.interviews.add(
            tx, user_id=1, company="Acme", stage="technical", starts_at=NOW - timedelta(days=2), now=NOW
        )
        second = await store.interviews.add(tx, user_id=1, company="ACME", stage="final", starts_at=NOW, now=NOW)
        await store.interviews.add(tx, user_id=BIG, company="Ünïcode Ltd", stage="screen", starts_at=NOW, now=NOW)
        debrief = await store.debriefs.create(tx, user_id=1, interview_id=first, step="recall", now=NOW)
        await store.debriefs.save_answer(tx, debrief, "recall", "Went well, 'quoted' ✓", skipped=False, now=NOW)
        await store.debriefs.save_answer(tx, debrief, "stumbles", None, skipped=True, now=NOW)
        await store.debriefs.finish(tx, 1, debrief, {"lines": ["a", "b"]}, NOW)
        await store.debriefs.set_focus(tx, 1, "Rehearse the conflict story", first, NOW)
        await store.prompts.schedule(
            tx, kind="debrief", subject_id=second, user_id=1, due_at=NOW + timedelta(hours=3), now=NOW
        )
        await store.summaries.weekly_run(tx, 1, "2026-W48")
    await store.feedback.add(user_id=1, interview_id=first, text="Strong on SQL", now=NOW)
    await store.applications.add(1, 5, NOW)
    await store.next_steps.add(user_id=1, interview_id=first, action="apply_more", now=NOW)
    await store.drafts.add(user_id=2, source="dm", now=NOW, company="Beta")
    await store.set_meta("command_tree", "abc123")
    await store.summaries.add_channel(950, 900, NOW)
    async with store.transaction() as tx:
        await store.summaries.cohort_run(tx, 950, "2026-W48")
    await store.summaries.join(1, 950, 900, NOW)
    return store


async def every_row(store: Store) -> dict[str, list[dict]]:
    out = {}
    for table in sorted(await store.db.tables()):
        rows = await store.db.fetchall(f"SELECT * FROM {table}")
        out[table] = sorted((dict(row) for row in rows), key=repr)
    return out


async def migrate_store(database: Path, url: str) -> tuple[int, str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_"))},
        "DEBRIEF_DATABASE": str(database),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate-store", "--to", url, env=env, cwd=database.parent,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode, out.decode(), err.decode()


async def test_a_store_made_database_is_copied_whole_and_stays_usable(tmp_path, empty_pg):
    lite = await made_through_the_store(tmp_path / "debrief.db")
    try:
        before = await every_row(lite)
    finally:
        await lite.close()
    assert all(before.values()), f"tables without rows: {[t for t, rows in before.items() if not rows]}"

    code, out, err = await migrate_store(tmp_path / "debrief.db", empty_pg)
    assert code == 0, err
    assert "row counts match" in out and "interviews: 3 rows" in out

    store = await Store.open(empty_pg)
    try:
        assert await every_row(store) == before
        # The copy is a working store: ids go on after the copied ones, the queue claims what was queued.
        async with store.transaction() as tx:
            new = await store.interviews.add(tx, user_id=2, company="Gamma", stage="screen", starts_at=NOW, now=NOW)
        assert new > max(row["id"] for row in before["interviews"])
        [prompt] = await store.prompts.claim_due(NOW + timedelta(hours=4), 10)
        assert prompt.user_id == 1 and prompt.state == "claimed"
        assert [i.company for i in await store.interviews.rounds(1, prompt.subject_id)] == ["Acme", "ACME"]
    finally:
        await store.close()


async def test_a_target_that_is_not_empty_is_refused_and_left_alone(tmp_path, empty_pg):
    lite = await made_through_the_store(tmp_path / "debrief.db")
    await lite.close()
    code, _out, err = await migrate_store(tmp_path / "debrief.db", empty_pg)
    assert code == 0, err

    code, _out, err = await migrate_store(tmp_path / "debrief.db", empty_pg)
    assert code == 1
    assert "not empty" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    store = await Store.open(empty_pg)
    try:
        assert len(await store.db.fetchall("SELECT id FROM interviews")) == 3
    finally:
        await store.close()


async def test_ids_deleted_on_sqlite_are_not_given_again_on_postgresql(tmp_path, empty_pg):
    """The copy goes on after the highest id SQLite ever gave, not the highest still there: an old
    message's button for an interview deleted before the move never reaches a new one."""
    lite = await made_through_the_store(tmp_path / "debrief.db")
    try:
        newest = max(row["id"] for row in await lite.db.fetchall("SELECT id FROM interviews"))
        async with lite.transaction() as tx:
            await lite.interviews.delete(tx, BIG, newest)
    finally:
        await lite.close()
    code, _out, err = await migrate_store(tmp_path / "debrief.db", empty_pg)
    assert code == 0, err
    store = await Store.open(empty_pg)
    try:
        assert await store.interviews.get(BIG, newest) is None
        async with store.transaction() as tx:
            new = await store.interviews.add(tx, user_id=2, company="Gamma", stage="screen", starts_at=NOW, now=NOW)
        assert new > newest
    finally:
        await store.close()
