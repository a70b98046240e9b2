"""The query-plan check itself (``tests/query_plans.py``): it sees the store's statements and catches a scan."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot.store.db import available_migrations
from bot.store.summaries import _WEEK_SQL
from tests import query_plans

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def schema_at(version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    migrations = available_migrations()
    for number in sorted(v for v in migrations if v <= version):
        conn.executescript(migrations[number])
    return conn


#: The plan check is SQLite's (EXPLAIN QUERY PLAN): these run on SQLite only.
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


@sqlite_only
async def test_the_store_s_statements_are_recorded_with_their_parameters(store):
    async with store.transaction() as tx:
        await store.interviews.add(tx, user_id=1, company="Acme", stage="technical", starts_at=NOW, now=NOW)
    assert await store.interviews.open_opportunities(1) == 1
    recorded = [sql for statements in query_plans._traced.values() for sql, _ in statements]
    assert any("NOT EXISTS" in sql for sql in recorded)
    assert any(sql.startswith("INSERT INTO interviews") for sql in recorded)


@sqlite_only
async def test_a_statement_sent_by_a_test_itself_is_not_the_store_s(store):
    await store.db.fetchone("SELECT COUNT(*) FROM interviews")
    recorded = [sql for statements in query_plans._traced.values() for sql, _ in statements]
    assert "SELECT COUNT(*) FROM interviews" not in recorded


def test_open_opportunities_scanned_interviews_before_its_index():
    sql = (
        "SELECT COUNT(DISTINCT company COLLATE NOCASE) FROM interviews i WHERE user_id = ? "
        "AND (outcome IS NULL OR outcome = 'advanced') AND NOT EXISTS (SELECT 1 FROM interviews later "
        "WHERE later.previous_id = i.id)"
    )
    before = query_plans.full_scans(schema_at(3), sql, (1,))
    assert before and "interviews" in before[0]
    assert query_plans.full_scans(schema_at(max(available_migrations())), sql, (1,)) == []


def test_a_scan_through_a_whole_index_counts_as_a_scan():
    conn = schema_at(max(available_migrations()))
    assert query_plans.full_scans(conn, "SELECT COUNT(*) FROM interviews") != []  # covering index, read whole
    assert query_plans.full_scans(conn, "SELECT * FROM meta") == []  # small, allowed
    assert query_plans.full_scans(conn, "SELECT * FROM interviews WHERE user_id = ?", (1,)) == []


def _plan(conn: sqlite3.Connection, sql: str, params: dict) -> list[str]:
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_the_weekly_read_answers_unread_debriefs_and_application_sums_from_indexes():
    """Migration 0014: the weekly read's branch for debriefs without a stored reading probes an index of just
    those (instead of looking at each of the user's finished debriefs), and the applications' sums come from
    the (user, logged at, count) index without a visit to the table."""
    params = {"u": 1, "s": 100, "e": 200, "r": 50}
    before = _plan(schema_at(13), _WEEK_SQL, params)
    after = _plan(schema_at(14), _WEEK_SQL, params)
    assert not any("debriefs_unkeyed_user" in step for step in before)
    assert "SEARCH d USING INDEX debriefs_unkeyed_user (user_id=? AND finished_at<?)" in after
    assert "SEARCH applications USING INDEX applications_user (user_id=? AND logged_at<?)" in before
    assert "SEARCH applications USING COVERING INDEX applications_user (user_id=? AND logged_at<?)" in after
