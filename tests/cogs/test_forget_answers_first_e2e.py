"""Issue 15: /forget's "Delete everything" answers Discord first (its buttons come off at once), then deletes,
then says what went. A user with much data may take long to delete, and the store may be busy.

With the store's write lock held by the test, the click is answered anyway and nothing is deleted yet;
the message says what went only once it is gone. A deletion that fails (one transaction: nothing of it
kept) gives the buttons back and says nothing was deleted.
"""

from __future__ import annotations

import asyncio

from tests.cogs._debrief_steps import refuse_every_try, wait_until
from tests.cogs.test_privacy_e2e import NOW, everything, rows_of

UPDATE_MESSAGE = 7  # the callback that edits the clicked message


def held(world, user) -> int:
    return sum(len(rows) for rows in rows_of(world.settings.storage.database_path, user.id).values())


async def preview_of(world, user):
    world.clock.set(NOW)
    await everything(world, user)
    h = await user.slash("forget")
    preview = await h.wait_message()
    assert [b[0] for b in preview.buttons] == ["Delete everything", "Cancel"]
    return preview


async def test_delete_everything_is_answered_before_the_deletion_and_says_what_went_after(world):
    alice = world.alice
    preview = await preview_of(world, alice)
    before = held(world, alice)
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await alice.click(preview, label="Delete everything")
        rtype, data = await h.response()
        assert rtype == UPDATE_MESSAGE and (data or {}).get("components") == []
        await asyncio.sleep(0.2)  # the bot has every chance to say it is done early, if it would
        assert preview.buttons == [] and "deleted" not in preview.content
        assert held(world, alice) == before  # nothing deleted while the store is held
    await wait_until(lambda: f"{before} records deleted" in preview.content)
    assert held(world, alice) == 0


async def test_a_deletion_that_fails_says_nothing_was_deleted_and_gives_the_buttons_back(world):
    alice = world.alice
    preview = await preview_of(world, alice)
    before = held(world, alice)
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.click(preview, label="Delete everything")
        rtype, _ = await h.response()
        assert rtype == UPDATE_MESSAGE
        said = await h.wait_followup()
        assert said.ephemeral and "Nothing was deleted" in said.content, said.content
        await wait_until(lambda: [b[0] for b in preview.buttons] == ["Delete everything", "Cancel"])
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert held(world, alice) == before

    # The buttons given back work.
    await alice.click(preview, label="Delete everything")
    await wait_until(lambda: f"{before} records deleted" in preview.content)
    assert held(world, alice) == 0


async def test_a_deletion_whose_message_cannot_be_edited_still_says_what_went(world):
    """Discord refuses the edit that says what went (5xx after discord.py's retries): the deletion is done,
    so the user is told so in a follow-up, never the general "what you saved earlier is safe"."""
    alice = world.alice
    preview = await preview_of(world, alice)
    before = held(world, alice)
    refusing = refuse_every_try(world, "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    h = await alice.click(preview, label="Delete everything")
    rtype, _ = await h.response()
    assert rtype == UPDATE_MESSAGE
    await asyncio.wait_for(refusing, 60)
    said = await h.wait_followup(timeout=30.0)
    assert f"{before} records deleted" in said.content, said.content
    assert "safe" not in said.content
    assert held(world, alice) == 0


async def test_a_failed_deletion_whose_buttons_cannot_come_back_still_says_nothing_was_deleted(world):
    alice = world.alice
    preview = await preview_of(world, alice)
    before = held(world, alice)
    refusing = refuse_every_try(world, "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.click(preview, label="Delete everything")
        await h.response()
        await asyncio.wait_for(refusing, 60)
        said = await h.wait_followup(timeout=30.0)
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert "Nothing was deleted" in said.content, said.content
    assert held(world, alice) == before
