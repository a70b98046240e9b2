"""Ids on buttons are never given to another row (SQLite; migration 0013).

A surrogate key ``id INTEGER PRIMARY KEY`` without ``AUTOINCREMENT`` is the rowid, and SQLite gives a new
row ``max(rowid) + 1``: deleting the newest row hands its id to the next insert. Those ids travel in
buttons' custom ids (bot/ui/ids.py), so an old message's button would act on the newer row. With
``AUTOINCREMENT`` SQLite keeps the highest id ever used (``sqlite_sequence``) and never goes below it,
as PostgreSQL's identity columns do.

SQLite cannot add ``AUTOINCREMENT`` to a table: each table is rebuilt (create, copy, drop, rename) from
its own definition as found in the database, so columns and indexes that earlier migrations added come
along whatever they are. It runs inside the migration's transaction with foreign keys off (the migration
runner in bot/store/db.py turns them off and runs ``PRAGMA foreign_key_check`` before it commits), so
dropping a parent table deletes nothing through ``ON DELETE CASCADE``; its children's references name the
table, and name the rebuilt one once it takes the name.
"""

from __future__ import annotations

import re
import sqlite3

#: Every table with a surrogate id (users' and guilds' ids are Discord's). Their ids reach a user in custom
#: ids (interviews, debriefs, drafts, feedback, applications, prompts), as autocomplete values (focus), or
#: as the subject of a prompt whose key must not be taken (weekly_runs, cohort_runs); next_steps for one
#: rule with no exception.
TABLES = (
    "interviews",
    "debriefs",
    "drafts",
    "feedback",
    "applications",
    "focus",
    "prompts",
    "weekly_runs",
    "cohort_runs",
    "next_steps",
)

#: Prompt kinds whose subject is an interview (as bot/store/prompts.py INTERVIEW_PROMPT_KINDS).
_INTERVIEW_KINDS = ("debrief", "checkin", "ghosting", "pre_interview")

# Schema text written by this project's migrations, never user text.
_ID_COLUMN = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)", re.IGNORECASE)


def never_reuse_ids(conn: sqlite3.Connection) -> None:
    """Rebuild each of :data:`TABLES` with ``AUTOINCREMENT``; the caller holds the transaction."""
    for table in TABLES:
        _rebuild(conn, table)
    # Interviews deleted before this migration whose prompts stayed (cancelled) under their id: the
    # highest such id is taken too, so an interview deleted while it was the newest is not handed on.
    marks = ",".join("?" * len(_INTERVIEW_KINDS))
    (floor,) = conn.execute(
        f"SELECT COALESCE(MAX(subject_id), 0) FROM prompts WHERE kind IN ({marks})", _INTERVIEW_KINDS
    ).fetchone()
    _raise_sequence(conn, "interviews", floor)


def _rebuild(conn: sqlite3.Connection, table: str) -> None:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if row is None:
        raise sqlite3.OperationalError(f"no table {table} to rebuild")
    sql = row[0]
    if "AUTOINCREMENT" in sql.upper():
        return
    body, found = _ID_COLUMN.subn("id INTEGER PRIMARY KEY AUTOINCREMENT", sql[sql.index("(") :], count=1)
    if found != 1:
        raise sqlite3.OperationalError(f"table {table} has no 'id INTEGER PRIMARY KEY' column")
    others = conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    columns = ", ".join(f'"{c[1]}"' for c in conn.execute(f'PRAGMA table_info("{table}")').fetchall())
    rebuilt = f"{table}_rebuilt"
    conn.execute(f'CREATE TABLE "{rebuilt}" {body}')
    conn.execute(f'INSERT INTO "{rebuilt}" ({columns}) SELECT {columns} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "{rebuilt}" RENAME TO "{table}"')
    for (statement,) in others:
        conn.execute(statement)


def _raise_sequence(conn: sqlite3.Connection, table: str, floor: int) -> None:
    """The next id of ``table`` is above ``floor`` (``sqlite_sequence`` has a row per table once used)."""
    if conn.execute("SELECT 1 FROM sqlite_sequence WHERE name = ?", (table,)).fetchone():
        conn.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (floor, table))
    elif floor > 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, floor))
