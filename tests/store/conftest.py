"""A fresh store with users 1 and 2, for the repository tests: on SQLite and on PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest

from bot.store import Store
from tests import pg


@pytest.fixture(params=pg.ENGINES)
async def store(request, tmp_path):
    async with contextlib.AsyncExitStack() as stack:
        if request.param == "postgresql":
            target = await stack.enter_async_context(pg.database(request))
        else:
            target = tmp_path / "d.db"
        store = await Store.open(target)
        stack.push_async_callback(store.close)
        for user_id in (1, 2):
            await store.users.ensure(user_id, datetime(2026, 11, 22, tzinfo=UTC))
        yield store
