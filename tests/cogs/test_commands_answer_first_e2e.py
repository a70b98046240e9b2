"""Issue 15: slash commands that write answer first ("thinking…"), then write, then show their reply.

With the store's write lock held by the test, each command is acknowledged anyway, as a deferred
response (Discord's "thinking" state, ephemeral exactly where its reply is); the reply replaces that state
only once the lock is released, and the store holds the change only then. A bad input is still answered at
once, with its own words, and changes nothing. A write that fails after the defer says "not saved" in
place of the thinking state.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from tests.cogs._debrief_steps import refuse_every_try

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5  # the "thinking" response
EPHEMERAL = 1 << 6


async def known(world, user, zone: str = "Europe/Berlin") -> None:
    world.clock.set(NOW)
    await world.store.users.ensure(user.id, NOW)
    await world.store.users.set_timezone(user.id, zone)


async def held_then_shown(world, start, changed) -> tuple[dict, str]:
    """Run the command (``start()``) while the test holds the store's write lock: it must be acknowledged
    as "thinking" with nothing shown and nothing changed; after the release, the reply and the change."""
    async with world.store.db.transaction():  # every write of the bot waits for this
        h = await start()
        rtype, data = await h.response()
        assert rtype == DEFERRED_CHANNEL_MESSAGE, "acknowledged before the write, as a deferred response"
        await asyncio.sleep(0.2)  # the bot has every chance to reply early, if it would
        assert h.message is None or not h.message.has_visible_content, "nothing shown before the write"
        assert not await asyncio.create_task(changed()), "nothing changed while the store is held"
    shown = await h.wait_message()
    assert await changed()
    return data or {}, shown


async def test_settings_timezone_is_answered_before_its_write_and_shown_after(world):
    alice = world.alice
    await known(world, alice, "UTC")

    async def changed() -> bool:
        return (await world.store.users.get(alice.id)).timezone == "Asia/Tokyo"

    data, shown = await held_then_shown(world, lambda: alice.slash("settings timezone", zone="Asia/Tokyo"), changed)
    assert (data.get("flags") or 0) & EPHEMERAL
    assert shown.ephemeral and "Time zone set to" in shown.content and "Tokyo" in shown.content


async def test_settings_quiet_hours_is_answered_before_its_write_and_shown_after(world):
    alice = world.alice
    await known(world, alice)

    async def changed() -> bool:
        return (await world.store.users.get(alice.id)).quiet_start == time(23, 0)

    _, shown = await held_then_shown(world, lambda: alice.slash("settings quiet-hours", hours="23:00-07:00"), changed)
    assert shown.ephemeral and "Quiet hours set to" in shown.content


async def test_interview_log_in_a_server_is_answered_before_its_write_privately(world):
    alice = world.alice
    await known(world, alice)
    await world.store.users.seen_in(alice.id, world.guild.id, world.guild.channel("general").id, NOW)

    async def changed() -> bool:
        return len(await world.store.interviews.list(alice.id)) == 1

    data, shown = await held_then_shown(
        world,
        lambda: alice.slash("interview log", company="Acme", when="tomorrow 3pm", stage="technical", guild=world.guild),
        changed,
    )
    assert (data.get("flags") or 0) & EPHEMERAL  # private in a server, from the first moment
    assert shown.ephemeral and "Acme" in shown.content and shown.buttons


async def test_interview_outcome_in_the_dm_is_answered_before_its_write_and_stays_in_the_conversation(world):
    alice = world.alice
    await known(world, alice)
    h = await alice.slash("interview log", company="Acme", when="2 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(alice.id)

    async def changed() -> bool:
        return (await world.store.interviews.get(alice.id, interview.id)).outcome == "rejected"

    data, shown = await held_then_shown(
        world, lambda: alice.slash("interview outcome", interview=str(interview.id), result="rejected"), changed
    )
    assert not (data.get("flags") or 0) & EPHEMERAL and not shown.ephemeral  # the user's DM: as before
    assert "Acme" in shown.content and shown.buttons  # the feedback request button


@pytest.mark.parametrize(
    ("command", "options", "words"),
    [
        ("settings timezone", {"zone": "Atlantis/Underwater"}, "time zone"),
        ("settings quiet-hours", {"hours": "whenever"}, "quiet hours"),
        ("interview log", {"company": "Acme", "when": "someday soon", "stage": "technical"}, ""),
        ("settings weekly-summary", {"when": "every blue moon"}, ""),
    ],
)
async def test_a_bad_input_is_answered_at_once_and_changes_nothing(world, command, options, words):
    alice = world.alice
    await known(world, alice)
    before = await world.store.users.get(alice.id)
    async with world.store.db.transaction():  # a refusal needs no write: it is not held up
        h = await alice.slash(command, **options)
        rtype, data = await h.response()
        assert rtype == CHANNEL_MESSAGE, (rtype, data)
        assert (data or {}).get("flags", 0) & EPHEMERAL
        text = (data or {}).get("content", "")
        assert words.lower() in text.lower() and "went wrong" not in text
    assert await world.store.users.get(alice.id) == before
    assert await world.store.interviews.list(alice.id) == []


async def test_a_command_whose_write_fails_after_the_defer_says_it_was_not_saved(world):
    alice = world.alice
    await known(world, alice, "UTC")
    await world.store.db.execute("PRAGMA query_only = ON")  # every write fails, as on a read-only disk
    try:
        h = await alice.slash("settings timezone", zone="Asia/Tokyo")
        rtype, _ = await h.response()
        assert rtype == DEFERRED_CHANNEL_MESSAGE
        shown = await h.wait_message()
        assert shown.ephemeral
        assert "not saved" in shown.content and "again" in shown.content, shown.content
        assert h.followups == [] or h.followups == [shown]  # the thinking state replaced, not a second message
    finally:
        await world.store.db.execute("PRAGMA query_only = OFF")
    assert (await world.store.users.get(alice.id)).timezone == "UTC"


async def test_a_saved_change_whose_reply_cannot_replace_thinking_comes_as_a_follow_up(world):
    """Discord refuses every edit of the deferred response (5xx, retried by discord.py): the change is
    saved, so the user is not left with "thinking…": the reply comes as the follow-up that replaces it."""
    alice = world.alice
    await known(world, alice)
    original = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
    refusing = refuse_every_try(world, "PATCH", original)
    h = await alice.slash("interview log", company="Acme", when="tomorrow 3pm", stage="technical")
    assert (await h.response())[0] == DEFERRED_CHANNEL_MESSAGE
    await asyncio.wait_for(refusing, 60)
    shown = await h.wait_message(20.0)
    assert "Acme" in shown.content
    assert len(await world.store.interviews.list(alice.id)) == 1


async def test_feedback_add_is_answered_before_its_write_and_shown_after(world):
    alice = world.alice
    await known(world, alice)
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(alice.id)

    async def changed() -> bool:
        return len(await world.store.feedback.for_user(alice.id)) == 1

    words = "They wanted more depth on system design."
    _, shown = await held_then_shown(
        world, lambda: alice.slash("feedback add", interview=str(interview.id), text=words), changed
    )
    assert "Saved the feedback from **Acme**" in shown.content and shown.buttons


async def test_applications_log_is_answered_before_its_write_and_shown_after(world):
    alice = world.alice
    await known(world, alice)

    async def changed() -> bool:
        return await world.store.applications.total(alice.id, NOW - timedelta(days=7)) == 3

    _, shown = await held_then_shown(world, lambda: alice.slash("applications log", count=3), changed)
    assert "3" in shown.content and shown.buttons


async def test_a_first_command_is_answered_before_the_new_users_record_is_written(world):
    """A user the bot has never seen: their record (the first contact's one write) is created after the
    defer, with the command's own write, not before the answer."""
    alice = world.alice
    world.clock.set(NOW)
    assert await world.store.users.get(alice.id) is None

    async def changed() -> bool:
        return await world.store.users.get(alice.id) is not None

    data, shown = await held_then_shown(
        world, lambda: alice.slash("interview log", company="Acme", when="tomorrow 3pm", stage="technical"), changed
    )
    assert not (data.get("flags") or 0) & EPHEMERAL  # the user's DM with the bot
    assert "which time zone" in shown.content and (shown.buttons or shown.selects)  # no zone yet: asked
