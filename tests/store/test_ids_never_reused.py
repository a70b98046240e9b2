"""Migration 0013 (bot/store/rebuild.py): ids that reach a user are never given to another row, and the
rebuild that makes it so loses no row, no reference, no index."""

from __future__ import annotations

import sqlite3

from bot.store.db import Database, available_migrations
from bot.store.rebuild import TABLES

T = 1_764_000_000  # an epoch second


def at_version(path, version: int) -> sqlite3.Connection:
    """A database migrated by hand to ``version`` (what an existing bot's database looks like)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    by_hand(conn, 0, version)
    return conn


def by_hand(conn: sqlite3.Connection, after: int, upto: int) -> None:
    """Apply the SQL files of the migrations numbered (after, upto]. 0013's file is only a comment: its
    rebuild is Python, so a database migrated this way has every later change but not the rebuild."""
    for number, script in sorted(available_migrations().items()):
        if after < number <= upto:
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")


def populate(conn: sqlite3.Connection) -> None:
    """Two users with a bit of everything, including rows whose parents are the rebuilt tables."""
    for user in (1, 2):
        conn.execute("INSERT INTO users (id, created_at) VALUES (?, ?)", (user, T))
        conn.execute("INSERT INTO memberships (user_id, guild_id, seen_at) VALUES (?, 77, ?)", (user, T))
    rows = [
        (1, 1, "Acme", None),
        (2, 1, "Acme", 1),  # a later round: references the same table
        (3, 2, "Globex", None),
        (4, 1, "Hooli", None),
    ]
    for iid, user, company, previous in rows:
        conn.execute(
            "INSERT INTO interviews (id, user_id, company, stage, starts_at, previous_id, created_at, ical_uid) "
            "VALUES (?, ?, ?, 'technical', ?, ?, ?, ?)",
            (iid, user, company, T + iid, previous, T, f"uid-{iid}" if iid == 3 else None),
        )
    conn.execute(
        "INSERT INTO debriefs (id, interview_id, user_id, step, state, started_at, updated_at, summary) "
        "VALUES (10, 1, 1, 'went_well', 'done', ?, ?, '{}'), (11, 3, 2, 'questions', 'open', ?, ?, NULL)",
        (T, T, T, T),
    )
    conn.execute(
        "INSERT INTO answers (debrief_id, step, value, updated_at) VALUES (10, 'went_well', '\"a\"', ?), "
        "(11, 'questions', '[]', ?)",
        (T, T),
    )
    conn.execute(
        "INSERT INTO feedback (id, interview_id, user_id, text, created_at) VALUES (20, 2, 1, 'slow', ?)", (T,)
    )
    conn.execute("INSERT INTO applications (id, user_id, count, logged_at) VALUES (30, 1, 5, ?), (31, 2, 3, ?)", (T, T))
    conn.execute("INSERT INTO focus (id, user_id, text, interview_id, created_at) VALUES (40, 1, 'pause', 2, ?)", (T,))
    conn.execute(
        "INSERT INTO next_steps (id, user_id, interview_id, action, chosen_at) VALUES (50, 1, 4, 'rest', ?)", (T,)
    )
    conn.execute(
        "INSERT INTO drafts (id, user_id, company, source, created_at) VALUES (60, 2, 'Initech', 'dm', ?)", (T,)
    )
    conn.execute("INSERT INTO weekly_runs (id, user_id, week) VALUES (70, 1, '2026-W48')")
    conn.execute("INSERT INTO summary_channels (channel_id, guild_id, created_at) VALUES (900, 77, ?)", (T,))
    conn.execute("INSERT INTO cohort_runs (id, channel_id, week) VALUES (80, 900, '2026-W48')")
    conn.execute("INSERT INTO cohort_members (user_id, channel_id, guild_id, joined_at) VALUES (1, 900, 77, ?)", (T,))
    prompts = [
        (100, "debrief", 1, 1, "sent"),
        (101, "ghosting", 4, 1, "pending"),
        (102, "debrief", 3, 2, "pending"),
        (103, "debrief", 9, 2, "cancelled"),  # of interview 9, deleted (newest) before the migration
        (104, "weekly", 70, 1, "pending"),
    ]
    for pid, kind, subject, user, state in prompts:
        conn.execute(
            "INSERT INTO prompts (id, kind, subject_id, user_id, due_at, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (pid, kind, subject, user, T + pid, state, T),
        )


def snapshot(conn: sqlite3.Connection) -> dict:
    """Every row of every table, the foreign keys, the indexes (by name and definition) and triggers."""
    tables = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {
        "rows": {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables},
        "columns": {t: [c[1:] for c in conn.execute(f"PRAGMA table_info({t})")] for t in tables},
        "keys": {t: sorted(conn.execute(f"PRAGMA foreign_key_list({t})").fetchall(), key=repr) for t in tables},
        "indexes": sorted(
            conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')").fetchall(),
            key=repr,
        ),
    }


async def test_the_rebuild_keeps_every_row_reference_and_index_of_a_populated_database(tmp_path):
    # What the rebuild must keep: the same rows migrated by every later SQL file, without the rebuild.
    conn = at_version(tmp_path / "by_hand.db", 12)
    populate(conn)
    by_hand(conn, 12, max(available_migrations()))
    before = snapshot(conn)
    conn.close()

    path = tmp_path / "old.db"
    conn = at_version(path, 12)
    populate(conn)
    conn.close()

    db = await Database.open(path)  # applies 0013
    assert await db.schema_version() == max(available_migrations())
    await db.close()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    after = snapshot(conn)
    assert after == before
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for table in TABLES:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_rebuilt'").fetchall()

    # The references still lead to the rebuilt tables: deleting an interview takes its debrief, answers,
    # feedback and next steps along, and lets go of the later round and the focus that pointed at it.
    conn.execute("DELETE FROM interviews WHERE id = 1")
    assert conn.execute("SELECT COUNT(*) FROM debriefs WHERE id = 10").fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM answers WHERE debrief_id = 10").fetchone() == (0,)
    assert conn.execute("SELECT previous_id FROM interviews WHERE id = 2").fetchone() == (None,)
    conn.execute("DELETE FROM interviews WHERE id = 2")
    assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone() == (0,)
    assert conn.execute("SELECT interview_id FROM focus WHERE id = 40").fetchone() == (None,)
    conn.execute("DELETE FROM users WHERE id = 1")
    assert conn.execute("SELECT COUNT(*) FROM next_steps").fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM weekly_runs").fetchone() == (0,)
    conn.close()


async def test_a_deleted_newest_row_does_not_give_its_id_to_the_next(tmp_path):
    path = tmp_path / "old.db"
    conn = at_version(path, 12)
    populate(conn)
    conn.close()
    db = await Database.open(path)
    await db.close()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    newest = {
        "interviews": 4,
        "debriefs": 11,
        "drafts": 60,
        "feedback": 20,
        "applications": 31,
        "focus": 40,
        "prompts": 104,
        "weekly_runs": 70,
        "cohort_runs": 80,
        "next_steps": 50,
    }
    assert set(newest) == set(TABLES)
    for table, top in newest.items():
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (top,))
    conn.execute("INSERT INTO interviews (user_id, company, stage, starts_at, created_at) VALUES (1, 'X', 'hr', 0, 0)")
    # Interview 9 was deleted before the migration, its cancelled prompt kept its id: 9 is not handed on.
    assert conn.execute("SELECT MAX(id) FROM interviews").fetchone() == (10,)
    conn.execute("INSERT INTO debriefs (interview_id, user_id, step, started_at, updated_at) VALUES (10, 1, 'x', 0, 0)")
    conn.execute("INSERT INTO drafts (user_id, source, created_at) VALUES (1, 'dm', 0)")
    conn.execute("INSERT INTO feedback (interview_id, user_id, text, created_at) VALUES (10, 1, 't', 0)")
    conn.execute("INSERT INTO applications (user_id, count, logged_at) VALUES (1, 1, 0)")
    conn.execute("INSERT INTO focus (user_id, text, created_at) VALUES (1, 't', 0)")
    conn.execute("INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES ('debrief', 10, 1, 0, 0)")
    conn.execute("INSERT INTO weekly_runs (user_id, week) VALUES (1, '2026-W49')")
    conn.execute("INSERT INTO cohort_runs (channel_id, week) VALUES (900, '2026-W49')")
    conn.execute("INSERT INTO next_steps (user_id, interview_id, action, chosen_at) VALUES (1, 10, 'rest', 0)")
    for table, top in newest.items():
        assert conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] > top, table
    conn.close()


async def test_a_fresh_database_never_reuses_ids_either(tmp_path):
    db = await Database.open(tmp_path / "new.db")
    await db.execute("INSERT INTO users (id, created_at) VALUES (1, 0)")
    await db.execute(
        "INSERT INTO interviews (user_id, company, stage, starts_at, created_at) VALUES (1, 'A', 'hr', 0, 0)"
    )
    [row] = await db.fetchall("SELECT id FROM interviews")
    await db.execute("DELETE FROM interviews WHERE id = ?", (row["id"],))
    await db.execute(
        "INSERT INTO interviews (user_id, company, stage, starts_at, created_at) VALUES (1, 'B', 'hr', 0, 0)"
    )
    [again] = await db.fetchall("SELECT id FROM interviews")
    assert again["id"] > row["id"]
    await db.close()


async def test_a_migration_that_would_orphan_rows_is_undone(tmp_path, monkeypatch):
    """The runner checks every reference before it commits (foreign keys are off while a migration runs)."""
    import bot.store.db as db_module

    path = tmp_path / "old.db"
    conn = at_version(path, 12)
    populate(conn)
    conn.close()

    def orphaning(c: sqlite3.Connection) -> None:
        db_module.never_reuse_ids(c)
        c.execute("DELETE FROM interviews WHERE id = 3")  # no cascade with foreign keys off: debrief 11 orphaned

    monkeypatch.setitem(db_module.STEPS, 13, orphaning)
    try:
        await Database.open(path)
    except db_module.StoreError as exc:
        assert "migration 13 failed" in str(exc) and "lose their parent" in str(exc)
    else:
        raise AssertionError("the migration committed orphaned rows")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (12,)
    assert conn.execute("SELECT COUNT(*) FROM interviews").fetchone() == (4,)
    assert "AUTOINCREMENT" not in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'interviews'").fetchone()[0]
    conn.close()


async def test_a_reference_broken_before_the_migration_does_not_stop_it(tmp_path):
    """From the review: the check before commit counted references broken long before (a hand edit, an
    old restore), so one such row stopped every migration, and the bot, for good. Only new ones count."""
    path = tmp_path / "old.db"
    conn = at_version(path, 12)
    populate(conn)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO feedback (id, user_id, interview_id, text, created_at) VALUES (95, 1, 999, 'orphan', ?)", (T,)
    )
    conn.close()

    db = await Database.open(path)
    assert await db.schema_version() == max(available_migrations())
    await db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT text FROM feedback WHERE id = 95").fetchone() == ("orphan",)  # kept as it was
    conn.close()


async def test_every_surrogate_id_of_the_schema_is_never_reused(tmp_path):
    """A table added later with ``id INTEGER PRIMARY KEY`` and no AUTOINCREMENT is caught here (users' and
    guilds' ids are Discord's own, not given by the database)."""
    db = await Database.open(tmp_path / "new.db")
    try:
        tables = {
            row["name"]: row["sql"]
            for row in await db.fetchall("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        }
        keyed = set()
        for name in tables:
            keys = [(c["name"], c["type"]) for c in await db.fetchall(f"PRAGMA table_info({name})") if c["pk"]]
            if keys == [("id", "INTEGER")]:
                keyed.add(name)
    finally:
        await db.close()
    surrogate = keyed - {"users", "guilds"}
    assert surrogate == set(TABLES)
    assert [name for name in sorted(surrogate) if "AUTOINCREMENT" not in tables[name]] == []
