"""Every statement the store issues in any test is checked with ``EXPLAIN QUERY PLAN`` (issue 9.5).

A pytest plugin (loaded by ``tests/conftest.py``): every statement a repository of ``bot/store``
runs during a test (not statements a test sends to the database itself) is recorded with its
parameters; when the test ends, each is explained against that
database and the test fails if a plan reads a whole table that grows with use — a ``SCAN`` of the
table, or of one of its indexes, rather than a ``SEARCH``. So the store tests, the services' tests
and the end-to-end tests together are the workload, and a query added later without its index fails
the first test that runs it.

Small fixed tables may be scanned (``SMALL``); so may partial indexes whose rows are bounded
(``BOUNDED_INDEXES``), each with the reason.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.db import Database, Tx

#: Tables that do not grow with use.
SMALL = {
    "meta": "a handful of key/value facts about the bot itself",
    "sqlite_master": "the schema",
    "sqlite_schema": "the schema",
}
#: Partial indexes a plan may walk whole, because their rows are bounded.
BOUNDED_INDEXES = {
    "prompts_claimed": "only claimed prompts: at most the dispatcher's in-flight sends",
    "prompts_claimed_user": "only claimed prompts: at most the dispatcher's in-flight sends",
    "guilds_notice": "holds exactly the rows the query returns (servers with a notice channel)",
}
#: Whole statements allowed to scan, with the reason.
ALLOWED = {
    "SELECT kind, 'pending', COUNT(*) FROM prompts WHERE state = 'pending' GROUP BY kind "
    "UNION ALL SELECT kind, 'claimed', COUNT(*) FROM prompts WHERE state = 'claimed' GROUP BY kind": (
        "count_unsent_by_kind(): the metrics' gauge reads the partial indexes of rows still to send, at most "
        "every 15 s, off any interaction's path"
    ),
    "SELECT COUNT(*) FROM (SELECT 1 FROM prompts WHERE state = 'pending' LIMIT ?) AS waiting": (
        "count_waiting(cap): the start line's count, bounded by its LIMIT"
    ),
    "SELECT state, COUNT(*) FROM prompts GROUP BY state": "count_by_state(): a diagnostic for tests and "
    "benchmarks, never called by the bot",
}

_DML = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b", re.IGNORECASE)
_SCAN = re.compile(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")
_NAMED = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.IGNORECASE)
_KEYWORDS = {"where", "set", "on", "join", "left", "inner", "group", "order", "limit", "values", "select", "using"}

_traced: dict[Path, list[tuple[str, tuple]]] = {}
_paths: dict[int, Path] = {}  # id of a Database's Tx -> its file
_explained: set[tuple[Path, str]] = set()
_STORE = str(Path(__file__).resolve().parent.parent / "bot" / "store")
_DB = str(Path(_STORE) / "db.py")
#: Store modules whose statements are not checked, with the reason.
_EXEMPT = {
    str(Path(_STORE) / "transfer.py"): "migrate-store copies whole tables by design, once, with the bot stopped",
}


def full_scans(conn: sqlite3.Connection, sql: str, params=()) -> list[str]:
    """The plan lines of ``sql`` that read a growing table (or one of its indexes) from end to end."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    aliases = {}
    for table, alias in _NAMED.findall(sql):
        if table in tables:
            aliases[table] = table
            if alias and alias.lower() not in _KEYWORDS:
                aliases[alias] = table
    found = []
    for _id, _parent, _unused, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params):
        match = _SCAN.match(detail)
        if not match:
            continue
        table = aliases.get(match.group(1), match.group(1) if match.group(1) in tables else None)
        if table is None or table in SMALL or match.group(2) in BOUNDED_INDEXES:
            continue  # a CTE, a subquery's result, a constant row, or allowed
        found.append(f"{detail} (table {table})")
    return found


def _from_the_store() -> bool:
    """True when a repository of ``bot/store`` issued the statement (not a test poking the database)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name in _EXEMPT:
            return False
        if name.startswith(_STORE) and name != _DB:
            return True
        frame = frame.f_back
    return False


def _record(tx: Tx, sql: str, params) -> None:
    path = _paths.get(id(tx))
    if path is not None and _DML.match(sql) and _from_the_store():
        _traced.setdefault(path, []).append((sql, tuple(params) if not isinstance(params, dict) else params))


def pytest_configure(config: pytest.Config) -> None:
    original_open = Database.open.__func__

    async def open_traced(cls, path, *args, **kwargs):
        db = await original_open(cls, path, *args, **kwargs)
        _paths[id(db._tx)] = _paths[id(db._reads)] = Path(path)
        return db

    Database.open = classmethod(open_traced)

    for name in ("execute", "fetchone", "fetchall"):
        original = getattr(Tx, name)

        def traced(self, sql, params=(), *, _original=original):
            _record(self, sql, params)
            return _original(self, sql, params)

        setattr(Tx, name, traced)

    original_many = Tx.executemany

    def executemany(self, sql, rows):
        rows = list(rows)
        if rows:
            _record(self, sql, rows[0])
        return original_many(self, sql, rows)

    Tx.executemany = executemany


@pytest.fixture(autouse=True)
def _no_full_scans() -> Iterator[None]:
    _traced.clear()
    yield
    problems = []
    for path, statements in _traced.items():
        if not path.exists():
            continue
        conn = sqlite3.connect(path)
        try:
            for sql, params in statements:
                if (path, sql) in _explained or sql in ALLOWED:
                    continue
                _explained.add((path, sql))
                try:
                    scans = full_scans(conn, sql, params)
                except sqlite3.OperationalError:
                    continue  # the test changed the schema or the file under the statement
                if scans:
                    problems.append(f"{sql}\n    " + "\n    ".join(scans))
        finally:
            conn.close()
    _traced.clear()
    assert not problems, "the store ran statements that read a whole growing table:\n" + "\n".join(problems)
