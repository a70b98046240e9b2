"""A fresh store with users 1 and 2, for the repository tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.store import Store


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    for user_id in (1, 2):
        await store.users.ensure(user_id, datetime(2026, 11, 22, tzinfo=UTC))
    yield store
    await store.close()
