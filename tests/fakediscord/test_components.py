"""Buttons, selects and modals: a real discord.py view and modal against the fake."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord import app_commands, ui

from fakediscord import FakeDiscord
from tests.fakediscord.conftest import make_bot


class Classic(ui.Modal, title="Debrief: how did it go?"):
    went = ui.TextInput(label="What went well?", custom_id="went", style=discord.TextStyle.paragraph)
    next_time = ui.TextInput(label="Next time", custom_id="next", required=False, max_length=200)

    def __init__(self, sink: asyncio.Future[dict[str, Any]]) -> None:
        super().__init__()
        self.sink = sink

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.sink.set_result({"went": self.went.value, "next": self.next_time.value})
        await interaction.response.send_message("Saved your debrief.", ephemeral=True)


class Labelled(ui.Modal, title="Rate the interview"):
    def __init__(self, sink: asyncio.Future[dict[str, Any]]) -> None:
        super().__init__()
        self.sink = sink
        self.notes = ui.TextInput(custom_id="notes", style=discord.TextStyle.short)
        self.mood = ui.Select(
            custom_id="mood",
            options=[discord.SelectOption(label="Good", value="good"), discord.SelectOption(label="Bad", value="bad")],
        )
        self.add_item(ui.TextDisplay("Be honest, this is just for you."))
        self.add_item(ui.Label(text="Notes", component=self.notes))
        self.add_item(ui.Label(text="Mood", component=self.mood))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.sink.set_result({"notes": self.notes.value, "mood": self.mood.values})
        await interaction.response.edit_message(content="Rated.", view=None)


class Menu(ui.View):
    """A persistent view: fixed custom_ids, no timeout."""

    def __init__(self, events: list[str], sinks: dict[str, asyncio.Future[dict[str, Any]]]) -> None:
        super().__init__(timeout=None)
        self.events = events
        self.sinks = sinks

    @ui.button(label="Start", custom_id="debrief:start", style=discord.ButtonStyle.primary)
    async def start(self, interaction: discord.Interaction, button: ui.Button) -> None:
        self.events.append(f"start by {interaction.user.name}")
        button.disabled = True
        await interaction.response.edit_message(content="Started.", view=self)

    @ui.button(label="Debrief", custom_id="debrief:modal")
    async def modal(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_modal(Classic(self.sinks["classic"]))

    @ui.button(label="Rate", custom_id="debrief:rate")
    async def rate(self, interaction: discord.Interaction, button: ui.Button) -> None:
        await interaction.response.send_modal(Labelled(self.sinks["labelled"]))

    @ui.select(
        custom_id="debrief:topics",
        placeholder="Topics",
        min_values=1,
        max_values=2,
        options=[discord.SelectOption(label=t.title(), value=t) for t in ("coding", "nerves", "system design")],
    )
    async def topics(self, interaction: discord.Interaction, select: ui.Select) -> None:
        self.events.append("topics " + ",".join(select.values))
        await interaction.response.send_message(f"Noted: {', '.join(select.values)}", ephemeral=True)


def build(events: list[str], sinks: dict[str, asyncio.Future[dict[str, Any]]]) -> discord.Client:
    bot = make_bot()

    @app_commands.command(name="menu", description="Open the debrief menu")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("What now?", view=Menu(events, sinks), ephemeral=True)

    bot.tree.add_command(menu)

    async def setup_hook() -> None:
        bot.add_view(Menu(events, sinks))
        await bot.tree.sync()

    bot.setup_hook = setup_hook

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        await message.channel.send("Pick an option", view=Menu(events, sinks))

    return bot


def world(fake: FakeDiscord) -> dict[str, Any]:
    alice = fake.add_user("alice")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=["general"])
    return {"alice": alice, "guild": guild}


@pytest_asyncio.fixture
async def sinks() -> dict[str, asyncio.Future[dict[str, Any]]]:
    loop = asyncio.get_running_loop()
    return {"classic": loop.create_future(), "labelled": loop.create_future()}


async def test_persistent_button_in_a_dm(run, no_violations, sinks) -> None:
    events: list[str] = []
    fake, w = await run(build(events, sinks), setup=world)
    alice = w["alice"]
    await alice.send_dm("hi")
    menu = await alice.wait_for_dm(timeout=5)
    assert menu.buttons[0] == ("Start", "debrief:start", False)
    assert "[1] Start" in menu.text()

    h = await alice.click(menu, label="Start")
    rtype, _ = await h.response(timeout=5)
    assert rtype == 7 and h.message is menu
    assert menu.content == "Started." and menu.buttons[0] == ("Start", "debrief:start", True)
    assert events == ["start by alice"]
    with pytest.raises(RuntimeError):
        await alice.click(menu, label="Start")
    no_violations(fake)


async def test_select_on_an_ephemeral_response(run, no_violations, sinks) -> None:
    events: list[str] = []
    fake, w = await run(build(events, sinks), setup=world)
    alice, guild = w["alice"], w["guild"]
    h = await alice.slash("menu", guild=guild)
    menu = await h.wait_message(timeout=5)
    assert menu.ephemeral and menu.selects[0]["custom_id"] == "debrief:topics"

    h2 = await alice.select(menu, ["coding", "System Design"])
    reply = await h2.wait_message(timeout=5)
    assert reply.content == "Noted: coding, system design" and reply.ephemeral
    assert events == ["topics coding,system design"]
    with pytest.raises(ValueError):
        await alice.select(menu, ["coding", "nerves", "system design"])  # max_values=2
    no_violations(fake)


async def test_classic_modal_from_a_button(run, no_violations, sinks) -> None:
    events: list[str] = []
    fake, w = await run(build(events, sinks), setup=world)
    alice = w["alice"]
    h = await alice.slash("menu")
    menu = await h.wait_message(timeout=5)
    h2 = await alice.click(menu, label="Debrief")
    rtype, _ = await h2.response(timeout=5)
    assert rtype == 9 and h2.modal is not None and h2.modal["title"] == "Debrief: how did it go?"

    with pytest.raises(ValueError):
        await h2.submit_modal({"next": "x"})  # "What went well?" is required
    h3 = await h2.submit_modal({"What went well?": "Explained my project clearly", "next": "Ask about the team"})
    assert await asyncio.wait_for(sinks["classic"], 5) == {
        "went": "Explained my project clearly",
        "next": "Ask about the team",
    }
    reply = await h3.wait_message(timeout=5)
    assert reply.content == "Saved your debrief." and reply.ephemeral
    no_violations(fake)


async def test_label_modal_updates_the_message(run, no_violations, sinks) -> None:
    events: list[str] = []
    fake, w = await run(build(events, sinks), setup=world)
    alice = w["alice"]
    await alice.send_dm("hi")
    menu = await alice.wait_for_dm(timeout=5)
    h = await alice.click(menu, custom_id="debrief:rate")
    await h.response(timeout=5)
    assert h.modal is not None and [c["type"] for c in h.modal["components"]] == [10, 18, 18]
    h2 = await h.submit_modal({"Notes": "nervous at first", "mood": ["good"]})
    assert await asyncio.wait_for(sinks["labelled"], 5) == {"notes": "nervous at first", "mood": ["good"]}
    rtype, _ = await h2.response(timeout=5)
    assert rtype == 7 and menu.content == "Rated." and menu.components == []
    no_violations(fake)


async def test_persistent_view_survives_a_bot_restart(run, no_violations, sinks) -> None:
    events: list[str] = []
    fake, w = await run(build(events, sinks), setup=world)
    alice = w["alice"]
    await alice.send_dm("hi")
    menu = await alice.wait_for_dm(timeout=5)

    await run.restart(build(events, sinks))
    h = await alice.click(menu, custom_id="debrief:start")  # handled by the new process's add_view()
    assert (await h.response(timeout=5))[0] == 7
    assert events == ["start by alice"]
    no_violations(fake)


def test_json_copy_is_a_deep_copy_of_json_shaped_data() -> None:
    import copy

    from fakediscord.components import json_copy

    class Note(dict):  # a subclass takes the general path, and stays what it was
        pass

    marker = object()
    tree = [
        {"type": 1, "components": [{"type": 2, "label": "Go", "emoji": None, "ids": (1, [2])}]},
        {"note": Note(a=[1]), "kept": marker},
    ]
    copied = json_copy(tree)
    assert copied == tree and copied[0] == copy.deepcopy(tree[0])
    assert type(copied[1]["note"]) is Note and copied[1]["kept"] is marker
    # Nothing mutable is shared: changing the copy leaves the original as it was.
    copied[0]["components"][0]["label"] = "Stop"
    copied[0]["components"][0]["ids"][1].append(3)
    copied[1]["note"]["a"].append(2)
    assert tree[0]["components"][0] == {"type": 2, "label": "Go", "emoji": None, "ids": (1, [2])}
    assert tree[1]["note"] == {"a": [1]}


def test_message_payloads_share_a_copy_only_while_the_message_is_unchanged() -> None:
    fake = FakeDiscord()
    alice = fake.add_user("alice")
    button = {"type": 2, "style": 1, "label": "Go", "custom_id": "go"}
    message = fake.state.post_message(
        alice.dm_channel, fake.bot_user, content="hi", components=[{"type": 1, "components": [button]}]
    )
    first, second = message.to_payload(), message.to_payload()
    assert first["components"] == message.components and first["components"] is second["components"]
    assert first["components"] is not message.components  # a copy, not the message's own
    # A message changed in place (as a test forging a click does) is copied again; older payloads keep theirs.
    message.components[0]["components"][0]["custom_id"] = "forged"
    third = message.to_payload()
    assert third["components"][0]["components"][0]["custom_id"] == "forged"
    assert first["components"][0]["components"][0]["custom_id"] == "go"
    # An edit replaces them, and the history keeps what the message was.
    fake.state.edit_message(message, {"components": []})
    assert message.to_payload()["components"] == [] and message.history[-1]["components"] == third["components"]


def test_a_channels_last_message_id_counts_only_live_public_messages() -> None:
    fake = FakeDiscord()
    alice = fake.add_user("alice")
    guild = fake.add_guild("Bootcamp", members=[alice], channels=["general"])
    channel, state, bot = guild.channels[0], fake.state, fake.bot_user
    assert channel.last_message_id is None
    for _ in range(3):
        state.post_message(channel, bot, content="only you can see this", visible_to=alice.id)
    assert channel.last_message_id is None
    first = state.post_message(channel, bot, content="one")
    second = state.post_message(channel, bot, content="two")
    state.post_message(channel, bot, content="psst", visible_to=alice.id)
    assert channel.last_message_id == second.id
    state.delete_message(second)
    assert channel.last_message_id == first.id
    third = state.post_message(channel, bot, content="three")
    assert channel.last_message_id == third.id
    state.delete_message(third)
    state.delete_message(first)
    assert channel.last_message_id is None
    channel.messages[:] = []
    assert channel.last_message_id is None
