"""Discord's rules a bot can break, enforced by the fake and surfaced to discord.py as Discord would."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import Route

from fakediscord import FakeDiscord, InteractionFailed
from tests.fakediscord.conftest import BotRun, make_bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=["general", "interviews"])
    return {"alice": alice, "guild": guild}


def slow_bot(errors: asyncio.Queue[BaseException], *, sleep: float) -> discord.Client:
    bot = make_bot()

    @app_commands.command(name="slow", description="Answers too late")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(sleep)
        try:
            await interaction.response.send_message("finally")
        except discord.HTTPException as exc:
            errors.put_nowait(exc)

    @app_commands.command(name="twice", description="Acknowledges twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("once")
        route = Route(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            interaction_id=interaction.id,
            interaction_token=interaction.token,
        )
        try:
            await interaction.client.http.request(route, json={"type": 4, "data": {"content": "twice"}})
        except discord.HTTPException as exc:
            errors.put_nowait(exc)

    @app_commands.command(name="later", description="Defers, then follows up")
    async def later(interaction: discord.Interaction, delay: float = 0.0) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(delay)
        try:
            await interaction.followup.send("done thinking")
            await interaction.followup.send("and one more", ephemeral=True)
        except discord.HTTPException as exc:
            errors.put_nowait(exc)

    bot.tree.add_command(slow)
    bot.tree.add_command(twice)
    bot.tree.add_command(later)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    return bot


async def test_late_acknowledgement_is_unknown_interaction(run) -> None:
    errors: asyncio.Queue[BaseException] = asyncio.Queue()
    fake, w = await run(slow_bot(errors, sleep=0.7), setup=world, ack_timeout=0.5)
    await fake.wait_for_commands()
    h = await w["alice"].slash("slow")
    assert h.failed
    with pytest.raises(InteractionFailed):
        await h.response(timeout=2)
    error = await asyncio.wait_for(errors.get(), 5)
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert len(fake.violations) == 1 and "10062" in fake.violations[0]


async def test_second_acknowledgement_is_rejected(run) -> None:
    errors: asyncio.Queue[BaseException] = asyncio.Queue()
    fake, w = await run(slow_bot(errors, sleep=0), setup=world)
    await fake.wait_for_commands()
    h = await w["alice"].slash("twice")
    assert (await h.response())[0] == 4
    error = await asyncio.wait_for(errors.get(), 5)
    assert isinstance(error, discord.HTTPException) and error.status == 400 and error.code == 40060
    assert any("40060" in v for v in fake.violations)
    assert [m.content for m in w["alice"].dm_messages] == ["once"]


async def test_followup_replaces_thinking_then_expires(run, no_violations) -> None:
    errors: asyncio.Queue[BaseException] = asyncio.Queue()
    fake, w = await run(slow_bot(errors, sleep=0), setup=world, followup_ttl=0.6)
    await fake.wait_for_commands()
    alice = w["alice"]
    h = await alice.slash("later")
    assert (await h.response())[0] == 5
    assert (await h.wait_message()).content == "done thinking"
    second = await h.wait_followup(2)
    assert second.ephemeral and second.content == "and one more"
    assert h.followups[0] is h.message  # the first follow-up edited the "thinking" message
    no_violations(fake)

    h = await alice.slash("later", delay=0.8)  # the interaction token expires before the follow-up
    error = await asyncio.wait_for(errors.get(), 5)
    assert isinstance(error, discord.HTTPException) and error.status == 401 and error.code == 50027


async def test_dm_to_a_user_with_closed_dms_is_forbidden(run, no_violations) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world)
    alice = w["alice"]
    user = await bot.fetch_user(alice.id)
    await user.send("welcome!")
    assert [m.content for m in alice.dm_messages] == ["welcome!"]
    alice.dms_open = False
    with pytest.raises(discord.Forbidden) as info:
        await user.send("are you there?")
    assert info.value.code == 50007 and info.value.text == "Cannot send messages to this user"
    no_violations(fake)  # a closed DM is the user's choice, not a bot bug


async def test_message_limits_are_enforced(run) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world)
    channel = bot.get_channel(w["guild"].channel("general").id)
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("x" * 2001)
    assert info.value.status == 400 and info.value.code == 50035
    assert "content" in info.value.text and "2000" in info.value.text
    embed = discord.Embed(title="Feedback")
    for i in range(26):
        embed.add_field(name=f"f{i}", value="v")
    with pytest.raises(discord.HTTPException) as info:
        await channel.send(embed=embed)
    assert info.value.code == 50035
    big = [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 2500)]
    with pytest.raises(discord.HTTPException) as info:
        await channel.send(embeds=big)
    assert "6000" in info.value.text
    assert len(fake.violations) == 3
    assert "content: Must be 2000 or fewer in length." in fake.violations[0]
    assert w["guild"].channel("general").messages == []


async def test_openapi_invalid_body_is_a_violation(run) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world)
    channel_id = w["guild"].channel("general").id
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.request(route, json={"content": 42, "sticker_ids": ["1", "2", "3", "4"]})
    assert info.value.code == 50035
    assert any("content" in v and "42 is not of type" in v for v in fake.violations)
    assert any("sticker_ids" in v for v in fake.violations)
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/channels/{channel_id}/bogus", channel_id=channel_id))
    assert "unknown route" in fake.violations[-1]


async def test_nonce_dedupe_returns_the_earlier_message(run, no_violations) -> None:
    bot = make_bot()
    fake, w = await run(bot, setup=world)
    channel = bot.get_channel(w["guild"].channel("general").id)
    first = await channel.send("only once", nonce=123456)
    second = await channel.send("only once", nonce=123456)
    third = await channel.send("only once")
    assert first.id == second.id != third.id
    assert [m.content for m in w["guild"].channel("general").messages] == ["only once", "only once"]
    no_violations(fake)


async def test_multipart_uploads_and_downloads(run, no_violations) -> None:
    bot = make_bot()
    received: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot or not message.attachments:
            return
        received.set_result(await message.attachments[0].read())
        await message.channel.send(
            "here is your summary",
            files=[discord.File(io.BytesIO(b"# Summary\nAcme went well"), filename="summary.md", description="notes")],
        )

    fake, w = await run(bot, setup=world)
    alice = w["alice"]
    await alice.send_dm("my notes", files={"notes.txt": b"they asked about graphs"})
    assert await asyncio.wait_for(received, 5) == b"they asked about graphs"
    reply = await alice.wait_for_dm()
    assert reply.attachments[0]["filename"] == "summary.md"
    assert reply.attachment_objs[0].data == b"# Summary\nAcme went well"
    assert reply.attachment_objs[0].description == "notes"
    assert "(attachment: summary.md, 24 bytes)" in reply.text()
    post = [r for r in fake.requests if r.method == "POST" and r.files]
    assert post and post[0].json["content"] == "here is your summary"
    no_violations(fake)


async def test_bad_token_fails_login() -> None:
    async with FakeDiscord(token="right-token") as fake:
        bot = make_bot()
        runner = BotRun(fake, bot)
        discord.http.Route.BASE = fake.api_base
        with pytest.raises(discord.LoginFailure):
            await bot.start("wrong-token")
        await runner.stop()
        assert fake.requests[0].status == 401


async def test_privileged_intent_not_enabled_closes_4014() -> None:
    async with FakeDiscord(message_content_intent=False) as fake:
        intents = discord.Intents.default()
        intents.message_content = True
        bot = make_bot(intents=intents)
        runner = BotRun(fake, bot)
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await runner.start()
        await runner.stop()
        assert any("privileged intents" in v for v in fake.violations)


@pytest.mark.parametrize(
    ("enabled", "identify_with", "expected"), [(False, False, ""), (True, False, ""), (True, True, "onsite at Acme")]
)
async def test_guild_content_needs_the_message_content_intent(run, enabled, identify_with, expected) -> None:
    intents = discord.Intents.default()
    intents.message_content = identify_with
    bot = make_bot(intents=intents)
    seen: list[str] = []
    all_seen = asyncio.Event()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            seen.append(message.content)
            if len(seen) == 3:
                all_seen.set()

    fake, w = await run(bot, setup=world, message_content_intent=enabled)
    alice, channel = w["alice"], w["guild"].channel("interviews")
    await alice.post(channel, "onsite at Acme")
    await alice.post(channel, "hey bot", mention_bot=True)
    await alice.send_dm("dm text")
    await asyncio.wait_for(all_seen.wait(), 5)
    assert seen == [expected, f"<@{fake.bot_user_id}> hey bot", "dm text"]


async def test_without_jsonschema_discord_limits_still_apply(run, monkeypatch) -> None:
    from fakediscord import openapi

    monkeypatch.setattr(openapi, "AVAILABLE", False)
    bot = make_bot()
    fake, w = await run(bot, setup=world, validate_responses=False)
    channel_id = w["guild"].channel("general").id
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    await bot.http.request(route, json={"content": "fine", "sticker_ids": []})
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.request(route, json={"content": "x" * 2001})
    assert info.value.code == 50035 and len(fake.violations) == 1


async def test_files_in_interaction_responses(run, no_violations) -> None:
    bot = make_bot()

    @app_commands.command(name="export", description="Export your log")
    async def export(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "Your log:", file=discord.File(io.BytesIO(b"acme,onsite"), filename="log.csv"), ephemeral=True
        )
        await interaction.followup.send(file=discord.File(io.BytesIO(b"more"), filename="more.txt"))

    bot.tree.add_command(export)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    fake, w = await run(bot, setup=world)
    await fake.wait_for_commands()
    h = await w["alice"].slash("export")
    message = await h.wait_message()
    assert message.ephemeral and message.attachment_objs[0].data == b"acme,onsite"
    assert message.attachments[0]["ephemeral"] is True
    followup = await h.wait_followup()
    assert followup.content == "" and followup.attachment_objs[0].filename == "more.txt"
    no_violations(fake)
