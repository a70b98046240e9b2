"""Saved means saved (issue 9.9, the store's part): FULL sync, owner-only files, no user text in any log."""

from __future__ import annotations

import logging
import os
import stat

from bot.__main__ import setup_logging
from bot.store import Store
from bot.store.db import Database
from tests.cogs.test_debrief_e2e import answers, past_interview, set_zone, start_in, type_to


async def test_commits_are_synced_fully(tmp_path):
    db = await Database.open(tmp_path / "d.db")
    try:
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
    finally:
        await db.close()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_tightening_modes_keeps_the_store_s_locks(tmp_path):
    """A reader in another process that comes and goes must not check the store's WAL in and delete it.

    Closing any descriptor of the database file in the bot's process drops SQLite's POSIX locks on
    it; the other process's reader then believes it is alone, checkpoints the WAL and unlinks it, and
    everything the store writes afterwards goes to a deleted file. The kill -9 test lost a debrief's
    answers that way.
    """
    import subprocess
    import sys

    path = tmp_path / "d.db"
    path.touch(mode=0o644)  # an existing database with loose modes: the open tightens them

    def read(key: str) -> str:
        code = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            "row = c.execute('SELECT value FROM meta WHERE key = ?', (sys.argv[2],)).fetchone();"
            "c.close(); print(row[0] if row else '-')"
        )
        done = subprocess.run([sys.executable, "-c", code, str(path), key], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    store = await Store.open(path)
    try:
        await store.set_meta("first", "yes")
        assert read("first") == "yes"
        await store.set_meta("second", "yes")
        assert read("second") == "yes", "the store wrote into a WAL another process had deleted"
    finally:
        await store.close()


async def test_database_files_are_owner_only_even_with_a_permissive_umask(tmp_path):
    old = os.umask(0o002)  # group- and world-readable files by default
    try:
        store = await Store.open(tmp_path / "d.db")
        try:
            await store.set_meta("written", "yes")
            files = sorted(p.name for p in tmp_path.iterdir())
            assert files == ["d.db", "d.db-shm", "d.db-wal"]
            assert {name: mode(tmp_path / name) for name in files} == dict.fromkeys(files, 0o600)
        finally:
            await store.close()
    finally:
        os.umask(old)


async def test_an_existing_readable_database_is_made_owner_only(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    await store.close()
    (tmp_path / "d.db").chmod(0o644)
    store = await Store.open(tmp_path / "d.db")
    try:
        assert mode(tmp_path / "d.db") == 0o600
    finally:
        await store.close()


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def test_at_debug_no_user_text_reaches_a_log(world):
    """The bot at log_level DEBUG, through an interview and a typed debrief answer: neither shows in a log."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogger("discord").level)
    collect = Collect()
    setup_logging("DEBUG")  # as `log_level = "DEBUG"` does in python -m bot
    root.addHandler(collect)
    try:
        assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)  # DEBUG logging is really on
        answer = "Zanzibar-quokka-7731: I froze on the system design whiteboard"
        await set_zone(world, world.alice)
        interview = await past_interview(world, world.alice, company="Quokkaworks")
        first = await start_in(world.alice, interview)
        assert "step 1 of 12" in first.content
        await type_to(world.alice, answer, 2)
        assert answer in str(await answers(world, world.alice, interview))  # saved, so it went through the store
        logging.getLogger("bot.test").debug("probe")
    finally:
        root.removeHandler(collect)
        for handler in root.handlers:
            if handler not in saved[1]:
                root.removeHandler(handler)
        for handler in saved[1]:
            root.addHandler(handler)
        root.setLevel(saved[0])
        logging.getLogger("discord").setLevel(saved[2])
    assert "bot.test DEBUG probe" in collect.lines  # the handler sees DEBUG records
    assert [line for line in collect.lines if "Zanzibar-quokka" in line or "Quokkaworks" in line] == []
