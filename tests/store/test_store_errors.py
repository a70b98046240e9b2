"""The engine's errors stay inside the store: a write the disk refuses raises the store's StoreError."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.store import Store, StoreError

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def test_a_refused_write_raises_store_error_and_reads_still_work(tmp_path):
    store = await Store.open(tmp_path / "debrief.db")
    try:
        await store.users.ensure(1, NOW)
        await store.db.execute("PRAGMA query_only = ON")  # every write now fails as on a read-only file
        with pytest.raises(StoreError, match="readonly"):
            await store.users.set_timezone(1, "Europe/Berlin")
        with pytest.raises(StoreError):
            async with store.transaction() as tx:
                await store.drafts.take(tx, 1, 1)
        assert (await store.users.get(1)).timezone is None
        await store.db.execute("PRAGMA query_only = OFF")
        await store.users.set_timezone(1, "Europe/Berlin")
        assert (await store.users.get(1)).timezone == "Europe/Berlin"
    finally:
        await store.close()
