"""/help through the real bot and the fake Discord: ephemeral, lists every command."""

from __future__ import annotations

from cogs.help import walk


async def test_help_in_a_dm_lists_every_command(world):
    h = await world.alice.slash("help")
    message = await h.wait_message()
    assert h.ephemeral
    text = message.text()
    assert "Debrief" in text
    for name, _description in walk(world.bot.tree):
        assert f"/{name}" in text
    assert "/interview log" in text and "/settings timezone" in text


async def test_help_in_a_server_is_ephemeral(world):
    h = await world.bob.slash("help", guild=world.guild, channel=world.guild.channel("general"))
    await h.wait_message()
    assert h.ephemeral
    # Nothing in the channel that anyone but bob can see.
    assert [m for m in world.guild.channel("general").messages if m.visible_to is None] == []
