"""REST reads and edits a bot makes, checked against the OpenAPI response schemas too."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import Route

from fakediscord import FakeDiscord
from tests.fakediscord.conftest import make_bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice", global_name="Alice A.")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=["general", "interviews"], admins=[alice])
    return {"alice": alice, "guild": guild}


async def test_reads_edits_reactions_and_deletes(run, no_violations) -> None:
    bot = make_bot()
    done = asyncio.Event()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        await message.add_reaction("👍")
        async with message.channel.typing():
            reply = await message.reply("Noted.")
        await reply.edit(content="Noted, thanks!", embed=discord.Embed(title="Summary", description="Acme onsite"))
        temp = await message.channel.send("temporary")
        await temp.delete()
        done.set()

    fake, w = await run(bot, setup=world)
    alice, guild = w["alice"], w["guild"]
    sent = await alice.send_dm("onsite at Acme went ok")
    await asyncio.wait_for(done.wait(), 5)
    assert sent.reactions == ["👍"]
    assert [m.content for m in alice.dm_messages] == ["onsite at Acme went ok", "Noted, thanks!"]
    reply = alice.dm_messages[1]
    assert reply.message_reference and reply.message_reference["message_id"] == str(sent.id)
    assert reply.edited_at is not None and reply.embeds[0]["title"] == "Summary"
    assert reply.text().splitlines() == ["Debrief:", "Noted, thanks!", "| Summary", "| Acme onsite"]

    channel = await bot.fetch_channel(guild.channel("interviews").id)
    assert isinstance(channel, discord.TextChannel) and channel.name == "interviews"
    fetched = await bot.fetch_guild(guild.id)
    assert fetched.name == "Bootcamp"
    member = await fetched.fetch_member(alice.id)
    assert member.global_name == "Alice A." and member.guild_permissions.administrator
    assert [c.name for c in await fetched.fetch_channels()] == ["general", "interviews"]
    dm = await (await bot.fetch_user(alice.id)).create_dm()
    history = [m.content async for m in dm.history(limit=10)]
    assert history == ["Noted, thanks!", "onsite at Acme went ok"]
    message = await dm.fetch_message(sent.id)
    assert message.content == "onsite at Acme went ok"
    with pytest.raises(discord.NotFound):
        await dm.fetch_message(123)
    no_violations(fake)


async def test_original_response_round_trip(run, no_violations) -> None:
    bot = make_bot()
    result: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    @app_commands.command(name="draft", description="Draft a thank-you note")
    async def draft(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Drafting...")
        original = await interaction.original_response()
        await interaction.edit_original_response(content=f"Draft ready (was {original.content!r})")
        note = await interaction.followup.send("Dear Acme team...", wait=True)
        await note.edit(content="Dear Acme team, thank you!")
        temp = await interaction.followup.send("scratch", wait=True)
        await temp.delete()
        result.set_result("ok")

    bot.tree.add_command(draft)

    async def setup_hook() -> None:
        await bot.tree.sync(guild=None)

    bot.setup_hook = setup_hook
    fake, w = await run(bot, setup=world)
    await fake.wait_for_commands()
    h = await w["alice"].slash("draft", guild=w["guild"])
    assert await asyncio.wait_for(result, 5) == "ok"
    assert h.message is not None and h.message.content == "Draft ready (was 'Drafting...')"
    assert [m.content for m in h.followups if not m.deleted] == ["Dear Acme team, thank you!"]
    assert [m.content for m in w["guild"].channel("general").messages if not m.deleted] == [
        "Draft ready (was 'Drafting...')",
        "Dear Acme team, thank you!",
    ]
    no_violations(fake)


async def test_guild_commands_and_component_limits(run) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world, channel_rate=(50, 1.0))  # the rejected sends count too
    guild = w["guild"]

    @app_commands.command(name="admin", description="Admin only")
    @app_commands.default_permissions(manage_guild=True)
    async def admin(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)

    bot.tree.add_command(admin, guild=discord.Object(guild.id))
    await bot.tree.sync(guild=discord.Object(guild.id))
    assert fake.commands[0]["guild_id"] == str(guild.id)
    h = await w["alice"].slash("admin", guild=guild)  # alice is an admin
    assert (await h.response())[0] == 4
    bob = fake.add_user("bob")
    guild.members[bob.id] = type(guild.members[w["alice"].id])(user=bob, joined_at=guild.created_at)
    with pytest.raises(LookupError):
        await bob.slash("admin", guild=guild)  # Discord hides it from members without Manage Server

    channel_id = guild.channel("general").id
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)

    def button(i: int, **kw: Any) -> dict[str, Any]:
        return {"type": 2, "style": 1, "label": f"b{i}", "custom_id": f"id{i}", **kw}

    bad_bodies = {
        "six rows": {"components": [{"type": 1, "components": [button(i)]} for i in range(6)]},
        "six buttons": {"components": [{"type": 1, "components": [button(i) for i in range(6)]}]},
        "long custom_id": {"components": [{"type": 1, "components": [button(0, custom_id="x" * 101)]}]},
        "long label": {"components": [{"type": 1, "components": [button(0, label="x" * 81)]}]},
        "26 options": {
            "components": [
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 3,
                            "custom_id": "s",
                            "options": [{"label": str(i), "value": str(i)} for i in range(26)],
                        }
                    ],
                }
            ]
        },
        "duplicate ids": {"components": [{"type": 1, "components": [button(0), button(0)]}]},
    }
    for name, body in bad_bodies.items():
        with pytest.raises(discord.HTTPException) as info:
            await bot.http.request(route, json=body)
        assert info.value.code == 50035, name
    assert len(fake.violations) == len(bad_bodies)
    assert guild.channel("general").visible_messages(None) == []


async def test_modal_limits_are_enforced(run) -> None:
    bot = make_bot()
    errors: asyncio.Queue[discord.HTTPException] = asyncio.Queue()

    @app_commands.command(name="form", description="Send an oversized modal")
    async def form(interaction: discord.Interaction) -> None:
        def text_input(i: int) -> dict[str, Any]:
            return {
                "type": 1,
                "components": [{"type": 4, "custom_id": f"t{i}", "label": "L" * 46, "style": 1, "max_length": 4001}],
            }

        route = Route(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            interaction_id=interaction.id,
            interaction_token=interaction.token,
        )
        body = {
            "type": 9,
            "data": {"custom_id": "m", "title": "T" * 46, "components": [text_input(i) for i in range(6)]},
        }
        try:
            await interaction.client.http.request(route, json=body)
        except discord.HTTPException as exc:
            errors.put_nowait(exc)

    bot.tree.add_command(form)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    fake, w = await run(bot, setup=world)
    await fake.wait_for_commands()
    await w["alice"].slash("form", wait=False)
    error = await asyncio.wait_for(errors.get(), 5)
    assert error.code == 50035
    text = fake.violations[0]
    for fragment in ("data.title", "data.components: Must be 5", "label: Must be 45", "max_length"):
        assert fragment in text
