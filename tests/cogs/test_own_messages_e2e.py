"""Issue 15: the gateway's echo of the bot's own messages is not parsed (bot/gateway.py).

Every message the bot sends in a DM comes back as a ``MESSAGE_CREATE``, every edit as a ``MESSAGE_UPDATE``.
Debrief never reads them, so they are dropped before discord.py builds a Message for them; people's
messages still reach the bot as before, and an edit discord.py needs for a view it keeps in step with a
message still reaches it.
"""

from __future__ import annotations

import discord

from tests.cogs._debrief_steps import at_step, first_step, wait_until


def listen(bot: discord.Client) -> tuple[list[discord.Message], list[discord.RawMessageUpdateEvent]]:
    """What discord.py dispatches: messages (``on_message``) and edits (``on_raw_message_edit``)."""
    messages: list[discord.Message] = []
    edits: list[discord.RawMessageUpdateEvent] = []

    async def on_message(message: discord.Message) -> None:
        messages.append(message)

    async def on_raw_message_edit(payload: discord.RawMessageUpdateEvent) -> None:
        edits.append(payload)

    bot.add_listener(on_message)
    bot.add_listener(on_raw_message_edit)
    return messages, edits


async def test_the_bots_own_messages_and_edits_are_not_parsed_and_peoples_are(world):
    alice = world.alice
    _, first = await first_step(world, alice)
    messages, edits = listen(world.bot)
    click = await alice.click(first, label="Skip")  # step 1 becomes its record, step 2 follows
    await click.response()
    second = await alice.wait_for_dm(5.0, predicate=at_step(2))
    await alice.send_dm("No questions, thanks.")  # typed: step 2's buttons off, step 3 follows
    await alice.wait_for_dm(5.0, predicate=at_step(3))
    await wait_until(lambda: second.buttons == [])
    await world.idle()

    me = world.bot.user.id
    assert [m.content for m in messages if m.author.id == alice.id] == ["No questions, thanks."]
    assert [m.id for m in messages if m.author.id == me] == []  # two steps were sent
    assert [e.message_id for e in edits] == []  # step 1 and step 2 were edited
    assert list(world.bot.cached_messages) == []  # no cache is kept


async def test_an_edit_of_a_message_whose_view_discord_py_tracks_still_reaches_it(world):
    alice = world.alice
    _, edits = listen(world.bot)
    view = discord.ui.View(timeout=60)
    view.add_item(discord.ui.Button(label="Tracked", custom_id="own-test:tracked"))
    user = await world.bot.fetch_user(alice.id)
    sent = await user.send("with a view", view=view)
    assert world.bot._connection._view_store.is_message_tracked(sent.id)
    await sent.edit(content="edited")  # the gateway's MESSAGE_UPDATE carries the components

    await wait_until(lambda: any(e.message_id == sent.id for e in edits))
