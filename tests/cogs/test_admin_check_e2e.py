"""Issue 9.3: /server is checked on the bot's side, not only by ``default_member_permissions``.

A server's admins can lift a command's default permissions in Integrations settings; Discord then
offers the command to every member and delivers the interaction with the member's real permissions.
"""

from __future__ import annotations

import pytest

from fakediscord import CommandUnavailable


async def test_a_member_without_manage_server_is_refused_when_the_server_lifts_the_default(world):
    bob, guild = world.bob, world.guild
    interviews = guild.channel("interviews")
    with pytest.raises(CommandUnavailable):  # by default Discord doesn't offer it to bob at all
        await bob.slash("server show", guild=guild)

    guild.allow_command("server")  # the server lets @everyone use /server
    for command, options in [
        ("server show", {}),
        ("server notice-channel", {"channel": interviews}),
        ("server disable", {}),
    ]:
        h = await bob.slash(command, guild=guild, options=options)
        said = await h.wait_message()
        assert h.ephemeral
        assert "Manage Server" in said.content, said.content
    assert world.bot.services.servers.watches(interviews.id) is False
    assert (await world.bot.services.servers.guild(guild.id)).notice_channel_id is None

    # An admin still gets through.
    h = await world.alice.slash("server notice-channel", guild=guild, options={"channel": interviews})
    said = await h.wait_message()
    assert "I'll watch" in said.content
    assert world.bot.services.servers.watches(interviews.id) is True
