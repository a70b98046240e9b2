"""/help through the real bot and the fake Discord: ephemeral, lists every command."""

from __future__ import annotations

import pytest

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
    assert "docs/privacy.md" in text and "/export" in text and "/forget" in text  # the privacy page


@pytest.mark.privacy(policy_url="https://example.org/debrief/privacy")
async def test_help_links_the_operators_privacy_page(world):
    h = await world.alice.slash("help")
    assert "<https://example.org/debrief/privacy>" in (await h.wait_message()).text()


async def test_help_in_a_server_is_ephemeral(world):
    h = await world.bob.slash("help", guild=world.guild, channel=world.guild.channel("general"))
    await h.wait_message()
    assert h.ephemeral
    # Nothing in the channel that anyone but bob can see.
    assert [m for m in world.guild.channel("general").messages if m.visible_to is None] == []
