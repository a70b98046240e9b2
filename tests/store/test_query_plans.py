"""The query-plan check itself (``tests/query_plans.py``): it sees the store's statements and catches a scan."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot.store.db import available_migrations
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
