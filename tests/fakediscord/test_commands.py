"""Slash commands, subcommands, typed options, user installs and autocomplete against the fake."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from fakediscord import CommandUnavailable, FakeDiscord
from tests.fakediscord.conftest import make_bot


def build_bot(seen: list[dict[str, Any]]) -> discord.Client:
    bot = make_bot()

    @app_commands.command(name="help", description="How Debrief works")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help_command(interaction: discord.Interaction) -> None:
        seen.append(
            {
                "context": interaction.context,
                "guild": interaction.guild_id,
                "user": interaction.user.name,
                "owners": interaction._integration_owners,
                "locale": str(interaction.locale),
            }
        )
        await interaction.response.send_message(
            "Debrief turns interviews into next steps.", ephemeral=interaction.guild_id is not None
        )

    interview = app_commands.Group(name="interview", description="Log and review interviews")
    interview = app_commands.allowed_installs(guilds=True, users=True)(interview)
    interview = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)(interview)

    @interview.command(name="log", description="Log an interview")
    async def log(
        interaction: discord.Interaction,
        company: str,
        when: str,
        rounds: int = 1,
        remote: bool = False,
        buddy: discord.User | None = None,
        where: discord.TextChannel | None = None,
    ) -> None:
        seen.append(
            {
                "company": company,
                "when": when,
                "rounds": rounds,
                "remote": remote,
                "buddy": buddy.name if buddy else None,
                "where": where.name if where else None,
            }
        )
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content=f"Logged {company} ({when}), {rounds} round(s).")

    async def outcome_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        companies = ["Acme", "Acorn Labs", "Globex", "Initech"]
        return [
            app_commands.Choice(name=c, value=c.lower()) for c in companies if c.lower().startswith(current.lower())
        ]

    @interview.command(name="outcome", description="Record an outcome")
    @app_commands.autocomplete(interview=outcome_choices)
    @app_commands.choices(
        result=[
            app_commands.Choice(name="Offer", value="offer"),
            app_commands.Choice(name="Rejected", value="rejected"),
        ]
    )
    async def outcome(interaction: discord.Interaction, interview: str, result: str) -> None:
        seen.append({"interview": interview, "result": result})
        await interaction.response.send_message(f"{interview}: {result}")

    settings = app_commands.Group(name="settings", description="Your settings")
    reminders = app_commands.Group(name="reminders", description="Reminder settings", parent=settings)

    @reminders.command(name="set", description="Set a reminder hour")
    async def set_hour(interaction: discord.Interaction, hour: app_commands.Range[int, 0, 23]) -> None:
        seen.append({"hour": hour})
        await interaction.response.send_message(f"Reminders at {hour}:00", ephemeral=True)

    bot.tree.add_command(help_command)
    bot.tree.add_command(interview)
    bot.tree.add_command(settings)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    return bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    bob = fake.add_user("bob")
    guild = fake.add_guild("Bootcamp", members=[alice, bob], channels=["general", "interviews"], admins=[alice])
    return {"alice": alice, "bob": bob, "guild": guild}


async def test_help_in_guild_and_in_dm_via_user_install(run, no_violations) -> None:
    seen: list[dict[str, Any]] = []
    fake, w = await run(build_bot(seen), setup=world)
    await fake.wait_for_commands(timeout=5)
    alice, guild = w["alice"], w["guild"]

    h = await alice.slash("help", guild=guild)
    rtype, _ = await h.response(timeout=5)
    assert rtype == 4
    assert h.ephemeral and h.message is not None
    assert "next steps" in h.message.content
    assert h.message.visible_to == alice.id
    assert seen[-1]["context"].guild and seen[-1]["guild"] == guild.id
    assert seen[-1]["owners"] == {0: guild.id, 1: alice.id}

    h = await alice.slash("help")  # DM with the bot, user install
    await h.response(timeout=5)
    assert not h.ephemeral
    assert h.message in alice.dm_messages
    assert seen[-1]["context"].dm_channel and seen[-1]["guild"] is None
    assert seen[-1]["owners"] == {0: 0, 1: alice.id}

    h = await alice.slash("help", private_with=w["bob"])  # a DM between alice and bob
    await h.response(timeout=5)
    assert seen[-1]["context"].private_channel
    assert seen[-1]["owners"] == {1: alice.id}
    no_violations(fake)


async def test_subcommands_and_typed_options(run, no_violations) -> None:
    seen: list[dict[str, Any]] = []
    fake, w = await run(build_bot(seen), setup=world)
    await fake.wait_for_commands(timeout=5)
    alice, bob, guild = w["alice"], w["bob"], w["guild"]

    h = await alice.slash(
        "interview log",
        guild=guild,
        channel=guild.channel("interviews"),
        company="Acme",
        when="tomorrow 2pm",
        rounds=3,
        remote=True,
        buddy=bob,
        where=guild.channel("general"),
    )
    message = await h.wait_message(timeout=5)
    assert message.content == "Logged Acme (tomorrow 2pm), 3 round(s)."
    assert seen[-1] == {
        "company": "Acme",
        "when": "tomorrow 2pm",
        "rounds": 3,
        "remote": True,
        "buddy": "bob",
        "where": "general",
    }

    h = await alice.slash("interview log", company="Globex", when="friday")  # in the DM
    assert (await h.wait_message(timeout=5)).content.startswith("Logged Globex")

    h = await alice.slash("settings reminders set", hour=9)
    await h.response(timeout=5)
    assert seen[-1] == {"hour": 9} and h.ephemeral

    with pytest.raises(ValueError):
        await alice.slash("settings reminders set", hour=24)  # the client enforces Range
    with pytest.raises(ValueError):
        await alice.slash("interview log", company="Acme")  # "when" is required
    with pytest.raises(CommandUnavailable):
        await alice.slash("interview log", private_with=bob, company="A", when="b")  # not allowed in private channels
    with pytest.raises(CommandUnavailable):
        await alice.slash("nope")
    no_violations(fake)


async def test_autocomplete(run, no_violations) -> None:
    seen: list[dict[str, Any]] = []
    fake, w = await run(build_bot(seen), setup=world)
    await fake.wait_for_commands(timeout=5)
    alice = w["alice"]

    choices = await alice.autocomplete("interview outcome", focused="interview", value="Ac")
    assert choices == [{"name": "Acme", "value": "acme"}, {"name": "Acorn Labs", "value": "acorn labs"}]
    choices = await alice.autocomplete(
        "interview outcome", focused="interview", value="g", guild=w["guild"], result="offer"
    )
    assert [c["name"] for c in choices] == ["Globex"]

    h = await alice.slash("interview outcome", interview="acme", result="offer")
    await h.response(timeout=5)
    assert seen[-1] == {"interview": "acme", "result": "offer"}
    with pytest.raises(ValueError):
        await alice.slash("interview outcome", interview="acme", result="maybe")
    no_violations(fake)


async def test_registered_commands_look_like_discords(run, no_violations) -> None:
    fake, _ = await run(build_bot([]), setup=world)
    await fake.wait_for_commands(timeout=5)
    names = {c["name"]: c for c in fake.commands}
    assert set(names) == {"help", "interview", "settings"}
    assert names["help"]["integration_types"] == [0, 1]
    assert names["help"]["contexts"] == [0, 1, 2]
    put = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(put) == 1 and put[0].status == 200
    no_violations(fake)


async def test_message_commands_carry_the_message_and_only_where_the_user_sees_it(run, no_violations) -> None:
    """Issue 16: a message command (type 3) is dispatched with ``target_id`` and ``resolved.messages``
    holding the message's content, even without the Message Content intent; a message the user cannot see
    cannot be the target."""
    seen: list[dict[str, Any]] = []
    bot = make_bot()

    @app_commands.context_menu(name="Log as interview")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def log_it(interaction: discord.Interaction, message: discord.Message) -> None:
        seen.append({"content": message.content, "author": message.author.name, "id": message.id})
        await interaction.response.send_message("read", ephemeral=True)

    bot.tree.add_command(log_it)

    async def setup_hook() -> None:
        await bot.tree.sync()

    bot.setup_hook = setup_hook
    fake, w = await run(bot, setup=world)
    await fake.wait_for_commands(timeout=5)
    assert not fake.message_content_intent
    alice, bob, guild = w["alice"], w["bob"], w["guild"]
    post = await bob.post(guild.channel("general"), "onsite at Acme tomorrow 3pm")
    h = await alice.message_command("Log as interview", post)
    await h.response(timeout=5)
    assert h.ephemeral and seen == [{"content": "onsite at Acme tomorrow 3pm", "author": "bob", "id": post.id}]
    assert h.data["type"] == 3 and h.data["target_id"] == str(post.id)

    with pytest.raises(CommandUnavailable):
        await alice.message_command("No such command", post)
    with pytest.raises(CommandUnavailable):
        await alice.slash("Log as interview", guild=guild)  # a message command is not a slash command
    private = fake.state.post_message(guild.channel("general"), bob, content="for bob only")
    private.visible_to = bob.id
    with pytest.raises(LookupError):
        await alice.message_command("Log as interview", private)
    no_violations(fake)
