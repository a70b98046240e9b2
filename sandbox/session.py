"""The sandbox session: the real bot, the fake Discord, and "you" driven by lines of input.

The real bot runs in-process against :mod:`fakediscord` on 127.0.0.1, and the terminal plays a
user called "you": a DM with Debrief, and an admin of a server "Sandbox" with #general and
#interviews. Lines typed (or piped) on stdin are what "you" does; the bot's messages, embeds and
buttons are printed as text, buttons numbered so they can be clicked by number::

    /interview log company:Acme when:"tomorrow 2pm" stage:technical   a slash command in the DM
    @server [#channel] /server show                                  a slash command in the server
    @server [#channel] text                                          a post in the server
    click 2 | click Skip | click 3.2                                 a button (of message 3)
    select Europe/Berlin | select 2 value,value                      an option of the latest menu
    :time +3h | :advance 3h | :time 2026-11-23 14:00 | :time          the bot's clock
    :commands | :reset | :help | :quit
    anything else                                                    a DM to Debrief

After each line the sandbox waits until the bot has answered (its interaction response, then a short
quiet period with nothing in the prompt queue), so a piped script gives the same transcript every
time. The data lives in ``<data_dir>/sandbox/`` and the user, server and channels get the same ids in
every run, so what was saved in one run is there in the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import os
import sys
from collections.abc import Callable
from typing import TextIO

from bot.app import DebriefBot, point_discord_at
from bot.clock import Clock
from bot.config import Settings, StorageSettings
from bot.store import Store
from fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMessage, FakeUser
from fakediscord.interactions import InteractionFailed
from sandbox.acting import Acting
from sandbox.terminal import (
    ANSWER_TIMEOUT,
    HEARTBEAT_ACK_DELAY,
    HEARTBEAT_INTERVAL,
    PROMPT,
    QUIET,
    SETTLE_LIMIT,
    STABLE_ID_BASE,
    TOKEN,
    InputError,
    LineReader,
    next_change,
    render,
    split_options,
)

# -- the sandbox -----------------------------------------------------------------------------------


class Sandbox(Acting):
    """The fake Discord, the real bot, and the user "you" driven by lines of input."""

    you: FakeUser
    guild: FakeGuild
    reader: LineReader

    def __init__(
        self,
        settings: Settings,
        *,
        out: TextIO | None = None,
        interactive: bool = False,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
    ) -> None:
        self.base_settings = settings
        self.heartbeat_interval = heartbeat_interval
        self.data_dir = settings.storage.data_dir / "sandbox"
        self.out = out or sys.stdout
        self.interactive = interactive
        self.fake: FakeDiscord | None = None
        self.bot: DebriefBot | None = None
        self.store: Store | None = None
        self.clock = Clock()
        self._task: asyncio.Task[None] | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._printed: dict[int, int] = {}  # message id -> revision shown
        self._reactions: dict[int, tuple[str, ...]] = {}  # your post -> reactions shown
        self._recent: list[FakeMessage] = []  # bot messages, most recently shown last
        self._numbers: dict[int, int] = {}  # message id -> the number "click M.N" calls it by
        self._numbered: dict[int, FakeMessage] = {}  # that number -> the message
        self._violations = 0
        self._at_prompt = False
        self.output_gone = False

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def world(self) -> tuple[FakeDiscord, DebriefBot]:
        if self.fake is None or self.bot is None:
            raise RuntimeError("the sandbox is not running")
        return self.fake, self.bot

    async def start(self) -> None:
        validate = importlib.util.find_spec("jsonschema") is not None  # the test extra; without it, no validation
        self.fake = FakeDiscord(
            token=TOKEN,
            validate=validate,
            message_content_intent=self.base_settings.discord.message_content,
            heartbeat_interval=self.heartbeat_interval,
            heartbeat_ack_delay=HEARTBEAT_ACK_DELAY,
        )
        await self.fake.start()
        with self.fake.ids.fixed(STABLE_ID_BASE):  # the same ids every run, so saved data stays yours
            self.you = self.fake.add_user("you")
            self.guild = self.fake.add_guild(
                "Sandbox", members=[self.you], channels=["general", "interviews"], admins=[self.you]
            )
            self.fake.state.dm_channel(self.you)
        self._watcher = asyncio.create_task(self._watch(), name="sandbox-watch")
        await self._start_bot()

    def _settings(self, fake: FakeDiscord) -> Settings:
        base = self.base_settings
        return dataclasses.replace(
            base,
            discord=dataclasses.replace(
                base.discord, token=TOKEN, api_base=fake.api_base, gateway_url=fake.gateway_url, sync_commands="always"
            ),
            storage=StorageSettings(data_dir=self.data_dir),
        )

    async def _start_bot(self) -> None:
        fake = self.fake
        assert fake is not None
        settings = self._settings(fake)
        point_discord_at(fake.api_base, fake.gateway_url)
        self.store = await Store.open(settings.storage.database_path)
        self.bot = DebriefBot(settings, self.store, clock=self.clock, guild_ready_timeout=0.05)
        syncs = fake.state.commands.syncs
        self._task = asyncio.create_task(self.bot.start(TOKEN), name="sandbox-bot")
        ready = asyncio.create_task(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._task}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if self._task in done:
                self._task.result()  # raises the start-up error
            raise RuntimeError("Debrief did not connect to the fake Discord within 30 s")
        await fake.wait_for_commands(syncs=syncs + 1)
        await self.settle()  # prompts that fell due since the last run

    async def _stop_bot(self) -> None:
        try:
            if self.bot is not None:
                await self.bot.close()
            if self._task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._task, 10)
        finally:
            if self.store is not None:
                await self.store.close()
            self.bot = self.store = self._task = None

    async def stop(self) -> None:
        """Stop the bot, then the fake (the bot first, so it closes its own connection)."""
        try:
            await self._stop_bot()
        finally:
            if self._watcher is not None:
                self._watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._watcher
            if self.fake is not None:
                self.show_new()
                await self.fake.close()
            point_discord_at("", "")

    # -- output -----------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if self._at_prompt:
            text = "\r\x1b[K" + text + "\n" + PROMPT  # over the prompt line, then the prompt again
        else:
            text += "\n"
        self.write(text)

    def write(self, text: str) -> None:
        """Write and flush; when the reader has gone (``| head``), stop writing and end the session."""
        if self.output_gone:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except BrokenPipeError:
            self.output_gone = True
            with contextlib.suppress(OSError, ValueError):  # so the interpreter's last flush doesn't fail
                os.dup2(os.open(os.devnull, os.O_WRONLY), self.out.fileno())

    def error(self, text: str) -> None:
        self.say(f"sandbox: {text}")

    def _channels(self) -> list[FakeChannel]:
        return [self.you.dm_channel, *self.guild.channels]

    def show_new(self) -> None:
        """Print bot messages "you" can see that are new, edited or removed since last time."""
        if self.fake is None or not hasattr(self, "guild"):
            return
        bot_id = self.fake.bot_user_id
        events: list[tuple[int, str, FakeMessage | None]] = []
        for channel in self._channels():
            where = channel.name if channel.guild is not None else None
            for message in channel.messages:
                if message.visible_to not in (None, self.you.id):
                    continue
                if message.author.id == self.you.id:
                    reactions = tuple(message.reactions)
                    if where and reactions and reactions != self._reactions.get(message.id, ()):
                        self._reactions[message.id] = reactions
                        text = f"Debrief reacted {' '.join(reactions)} to your post in #{where}"
                        events.append((message.id, text, None))
                    continue
                if message.author.id != bot_id:
                    continue
                shown = self._printed.get(message.id)
                if message.deleted:
                    if shown is not None and shown >= 0:
                        self._printed[message.id] = -1
                        text = "(Debrief deleted a message" + (f" in #{where})" if where else ")")
                        events.append((message.id, text, None))
                    continue
                if not message.has_visible_content or shown == message.revision:
                    continue
                self._printed[message.id] = message.revision
                text = render(message, edited=shown is not None, where=where)
                if message.buttons:
                    number = self._number(message)
                    text += f"\n  (message {number}: click {number}.N clicks its button N)"
                events.append((message.id, text, message))
        for _, text, message in sorted(events, key=lambda event: event[0]):
            if message is not None:
                if message in self._recent:
                    self._recent.remove(message)
                self._recent.append(message)
            self.say(text)
        violations = self.fake.violations
        for problem in violations[self._violations :]:
            print(f"sandbox: Discord would have rejected a request from the bot: {problem}", file=sys.stderr)
        self._violations = len(violations)

    def _number(self, message: FakeMessage) -> int:
        """The message's number for ``click M.N``: given when it is first shown with buttons, kept after."""
        number = self._numbers.get(message.id)
        if number is None:
            number = self._numbers[message.id] = len(self._numbers) + 1
            self._numbered[number] = message
        return number

    async def _watch(self) -> None:
        """Show the bot's messages as they come, also while you are at the prompt."""
        assert self.fake is not None
        changes = self.fake.state.changes
        while True:
            try:
                self.show_new()
            except Exception as exc:  # a message the sandbox can't draw must not stop the others
                self.error(f"could not show a message: {exc!r}")
            with contextlib.suppress(TimeoutError):
                await next_change(changes, 3600)

    async def settle(self, expect: Callable[[], object] | None = None) -> None:
        """Wait for the bot's answer: ``expect`` (if given), then quiet and an idle prompt queue."""
        fake, bot = self.world
        changes = fake.state.changes
        if expect is not None:
            with contextlib.suppress(TimeoutError):
                await changes.wait_until(expect, ANSWER_TIMEOUT)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_LIMIT
        while loop.time() < deadline:
            try:
                await next_change(changes, QUIET)
            except TimeoutError:
                if bot.queue.idle:
                    break
        self.show_new()

    # -- the loop ---------------------------------------------------------------------------------

    async def repl(self, reader: LineReader) -> None:
        self.reader = reader
        if self.interactive:
            self.say(
                'Debrief sandbox: the real bot, a fake Discord on this machine, and you as the user "you"\n'
                "(in a DM with Debrief, and an admin of the server Sandbox with #general and #interviews).\n"
                f"Saved in {self.data_dir}. Try /help, or DM it: onsite at Acme tomorrow 2pm. "
                ":help lists the sandbox's commands."
            )
        while True:
            line = await self.prompt(PROMPT)
            if line is None:
                return
            if not line.strip():
                continue
            try:
                if await self.handle(line.strip()) is False:
                    return
            except InputError as exc:
                self.error(str(exc))
            except (InteractionFailed, TimeoutError):
                self.error('Debrief did not answer in time (Discord would show "This interaction failed")')
                await self.settle()
            except Exception as exc:  # the session goes on whatever a line does
                self.error(str(exc) or type(exc).__name__)
                await self.settle()

    async def prompt(self, prompt: str) -> str | None:
        """Read a line; show ``prompt`` on a terminal, echo the line after it when input is piped."""
        if self.output_gone:
            return None
        if self.interactive:
            self.write(prompt)
            self._at_prompt = True
        try:
            line = await self.reader.readline()
        finally:
            self._at_prompt = False
        if line is None and self.interactive:
            self.write("\n")  # after Ctrl-D, so the shell's prompt starts on a line of its own
        elif line is not None and not self.interactive:
            self.write(f"{prompt}{line}".rstrip() + "\n")
        return line

    async def handle(self, line: str) -> bool:
        """Act on one line; False ends the session."""
        if line.startswith(":"):
            return await self.sandbox_command(line)
        if line.startswith("/"):
            await self.slash(line)
            return True
        if line.lower().startswith("@server"):
            rest = line[len("@server") :].strip()
            channel = self.guild.channel("general")
            if rest.startswith("#"):
                name, _, rest = rest.partition(" ")
                try:
                    channel = self.guild.channel(name)
                except KeyError:
                    known = ", ".join(f"#{c.name}" for c in self.guild.channels)
                    raise InputError(f"the Sandbox server has no {name}; it has {known}") from None
                rest = rest.strip()
            if not rest:
                raise InputError("@server needs a /command or a message after it")
            if rest.startswith("/"):
                await self.slash(rest, channel=channel)
            else:
                await self.post(channel, rest)
            return True
        word, _, rest = line.partition(" ")
        if word.lower() == "click":  # a bare number is a DM (an answer to a question), never a click
            await self.click(rest.strip())
            return True
        if word.lower() == "select":
            await self.select(rest.strip())
            return True
        await self.dm(line)
        return True


async def run_sandbox(settings: Settings, *, fd: int = 0, out: TextIO | None = None) -> int:
    """Run the sandbox on stdin (``fd``) until :quit or the end of input; returns the exit status."""
    interactive = os.isatty(fd)
    sandbox = Sandbox(settings, out=out, interactive=interactive)
    try:
        await sandbox.start()
        await sandbox.repl(LineReader(fd))
    finally:
        await sandbox.stop()
    return 0


__all__ = ["InputError", "LineReader", "Sandbox", "run_sandbox", "split_options"]
