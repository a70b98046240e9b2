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
import codecs
import contextlib
import dataclasses
import importlib.util
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app import DebriefBot, point_discord_at
from bot.clock import Clock
from bot.coach.durations import parse_duration
from bot.config import Settings, StorageSettings
from bot.store import Store
from fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeInteraction, FakeMessage, FakeUser
from fakediscord import components as comp
from fakediscord.commands import OptionType
from fakediscord.interactions import CallbackType, InteractionFailed
from fakediscord.render import render_embed
from fakediscord.snowflake import DISCORD_EPOCH_MS
from fakediscord.state import ChangeFeed

TOKEN = "sandbox-bot-token"
PROMPT = "you> "
#: Seconds without any change in the fake (and an idle prompt queue) after which the bot has answered.
QUIET = 0.3
#: How long to wait for the first sign of an answer (a DM reply, a "thinking" message filling in).
ANSWER_TIMEOUT = 10.0
#: The longest a single input waits for the bot to go quiet.
SETTLE_LIMIT = 15.0
#: Discord's gateway heartbeat interval (seconds), as the fake tells the bot in HELLO.
HEARTBEAT_INTERVAL = 41.25
#: Seconds the fake waits before acknowledging a heartbeat, like a network round trip: discord.py's
#: keep-alive thread notes the send time after sending, and an ACK heard before that made it warn
#: "Can't keep up ... websocket is 41 s behind" (issue 11.9).
HEARTBEAT_ACK_DELAY = 0.1
#: The most due times one jump of the clock stops at (each stop lets the bot send what is due).
MAX_STOPS = 1000
#: Where the sandbox's fixed ids start: snowflakes of 2024-01-01, worker 31. Every id the fake makes
#: later encodes a later time, so they never collide.
STABLE_ID_BASE = ((int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1000) - DISCORD_EPOCH_MS) << 22) | (31 << 17)

HELP = """\
Sandbox commands (anything else is a DM to Debrief):
  /command [sub] name:value ...  a slash command in your DM with Debrief, e.g.
                                 /interview log company:Acme when:"tomorrow 2pm" stage:technical
                                 a value runs to the next option; quotes are optional
  @server [#channel] /command    the command in the Sandbox server (#general unless named);
                                 /server ... commands always run there
  @server [#channel] text        a post in the server (write @Debrief to mention the bot)
  click N  |  click Label        click a button of the latest message that has buttons
  click M.N                      click button N of message M (each message with buttons
                                 says its number); a bare number is a DM, not a click
  select [N] value[,value]       pick in select menu N (default 1) of the latest message with one,
                                 by label or value
  :commands                      the slash commands and their options
  :time                          the bot's clock
  :time +3h  |  :advance 3h      move the bot's clock forward; prompts due by then arrive now
  :time 2026-11-23 14:00         set the clock (in your Debrief time zone, else UTC)
  :reset                         forget everything the sandbox saved and restart Debrief
  :help                          this list
  :quit                          leave (so do Ctrl-D and the end of piped input)"""


class InputError(Exception):
    """A line the sandbox can't act on; its text is shown as one line and the session goes on."""


# -- reading stdin ---------------------------------------------------------------------------------


class LineReader:
    """Lines from a file descriptor, read by a daemon thread so the event loop never blocks.

    ``os.read`` on the descriptor (not ``sys.stdin``) works for terminals, pipes and files alike, and
    a thread still blocked in it at exit (Ctrl-C) neither holds up the interpreter nor a lock.
    """

    def __init__(self, fd: int = 0) -> None:
        self._loop = asyncio.get_running_loop()
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._eof = False
        threading.Thread(target=self._read, args=(fd,), name="sandbox-stdin", daemon=True).start()

    def _put(self, line: str | None) -> bool:
        try:
            self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
        except RuntimeError:  # the loop is closed: the session is over
            return False
        return True

    def _read(self, fd: int) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            pending += decoder.decode(chunk)
            *lines, pending = pending.split("\n")
            for line in lines:
                if not self._put(line.rstrip("\r")):
                    return
        pending += decoder.decode(b"", final=True)
        if pending:
            self._put(pending.rstrip("\r"))
        self._put(None)

    async def readline(self) -> str | None:
        """The next line without its newline, or None at the end of input (and ever after)."""
        if self._eof:
            return None
        line = await self._lines.get()
        if line is None:
            self._eof = True
        return line


# -- parsing slash commands ------------------------------------------------------------------------

_OPTION_AT = re.compile(r"([A-Za-z][\w-]*):")
#: Something that looks like an option (``word:value``, no space after the colon, not a URL).
_LOOKS_LIKE_OPTION = re.compile(r"(?<!\S)([a-z][\w-]*):(?!//)(?=\S)")
_SUBCOMMANDS = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
_TYPE_NAMES = {
    OptionType.STRING: "text",
    OptionType.INTEGER: "a whole number",
    OptionType.NUMBER: "a number",
    OptionType.BOOLEAN: "yes or no",
    OptionType.USER: "a user",
    OptionType.CHANNEL: "a channel",
    OptionType.MENTIONABLE: "a user",
    OptionType.ROLE: "a role",
    OptionType.ATTACHMENT: "a file",
}


def describe_options(leaf: dict[str, Any]) -> str:
    """``company (required), when (required), role`` — for error messages and ``:commands``."""
    names = [o["name"] + (" (required)" if o.get("required") else "") for o in leaf.get("options") or []]
    return ", ".join(names) if names else "no options"


def split_options(text: str, leaf: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """``company:Acme Corp when:"tomorrow 2pm"`` → ``[("company", "Acme Corp"), ("when", "tomorrow 2pm")]``.

    A value runs to the next ``name:`` of this command's options, so it needs no quotes; a value that
    starts with a quote ends at the matching quote.
    """
    specs = leaf.get("options") or []
    names = {o["name"] for o in specs}
    takes = f"/{path} takes {describe_options(leaf)}"
    next_known = (
        re.compile(r"(?<=\s)(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r"):")
        if names
        else None
    )
    pairs: list[tuple[str, str]] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return pairs
        match = _OPTION_AT.match(text, pos)
        if match is None:
            example = f", e.g. {specs[0]['name']}:..." if specs else ""
            raise InputError(f"options are written name:value{example}; {takes}")
        name = match.group(1).lower()
        if name not in names:
            raise InputError(f"/{path} has no option {name!r}; it takes {describe_options(leaf)}")
        if any(seen == name for seen, _ in pairs):
            raise InputError(f"option {name!r} is given twice")
        pos = match.end()
        quote = text[pos : pos + 1]
        if quote in ('"', "'"):
            end = text.find(quote, pos + 1)
            if end == -1:
                raise InputError(f"the value of {name!r} has no closing {quote}")
            value = text[pos + 1 : end]
            pos = end + 1
            if pos < len(text) and not text[pos].isspace():
                raise InputError(f"put a space after the closing {quote} of {name!r}")
        else:
            following = next_known.search(text, pos) if next_known else None
            end = following.start() if following else len(text)
            value = text[pos:end].strip()
            stray = _LOOKS_LIKE_OPTION.search(value)
            if stray and stray.group(1) not in names:
                raise InputError(f"/{path} has no option {stray.group(1)!r}; it takes {describe_options(leaf)}")
            pos = end
        pairs.append((name, value))


def find_choice(choices: list[dict[str, Any]], text: str) -> Any | None:
    """The value of the choice whose name or value is ``text`` (case-insensitively)."""
    wanted = text.strip().casefold()
    for choice in choices:
        if wanted in (str(choice.get("value")).casefold(), str(choice.get("name")).casefold()):
            return choice["value"]
    return None


# -- rendering -------------------------------------------------------------------------------------


def render(message: FakeMessage, *, edited: bool = False, where: str | None = None) -> str:
    """A bot message as text: ``Debrief> one line``, or a header and indented lines.

    The body is :meth:`FakeMessage.text` (content, embeds, numbered buttons, selects, attachments)
    without its ``Name:`` line, which is rebuilt here with "edited" and the channel; embeds are drawn
    here so that multi-line field values stay inside the embed's ``|`` margin.
    """
    header = message.author.display_name
    if message.ephemeral:
        header += " (only you can see this)"
    if edited:
        header += " (edited)"
    if where:
        header += f" in #{where}"
    full = message.text().split("\n")
    content = message.content.split("\n") if message.content else []
    drawn = sum(len("\n".join(render_embed(embed)).split("\n")) for embed in message.embeds)
    lines = content + [line for embed in message.embeds for line in embed_lines(embed)]
    lines += full[1 + len(content) + drawn :]
    lines = [mentions(line.rstrip(), message) for line in lines]
    if len(lines) <= 1:
        return f"{header}> {lines[0] if lines else ''}".rstrip()
    return f"{header}>\n" + "\n".join(f"  {line}".rstrip() for line in lines)


def mentions(text: str, message: FakeMessage) -> str:
    """``<#id>`` and ``<@id>`` as ``#name`` and ``@name``, as Discord's client shows them."""
    guild = message.channel.guild

    def channel(match: re.Match[str]) -> str:
        found = guild.get_channel(int(match.group(1))) if guild is not None else None
        return f"#{found.name}" if found is not None else match.group(0)

    def user(match: re.Match[str]) -> str:
        found = next((u for u in message.mentions if u.id == int(match.group(1))), None)
        return f"@{found.display_name}" if found is not None else match.group(0)

    return re.sub(r"<@!?(\d+)>", user, re.sub(r"<#(\d+)>", channel, text))


def embed_lines(embed: dict[str, Any]) -> list[str]:
    """An embed as ``| `` lines; a field is its name, then its value indented (or ``name: value``)."""
    body: list[str] = []
    for part in ((embed.get("author") or {}).get("name"), embed.get("title")):
        if part:
            body.append(str(part))
    if embed.get("description"):
        body.extend(str(embed["description"]).splitlines())
    for field in embed.get("fields") or []:
        name = str(field.get("name") or "").strip("\u200b ")
        value = str(field.get("value") or "").splitlines()
        if name and len(value) == 1:
            body.append(f"{name}: {value[0]}")
            continue
        if name:
            body.append(name)
        body.extend("  " + line for line in value)  # a nameless field continues the one before
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        body.append(f"({footer})")
    return [f"| {line}".rstrip() for line in body]


@dataclasses.dataclass
class Field:
    """One input of a modal, as the sandbox asks for it."""

    key: str
    label: str
    type: int
    required: bool
    default: str | None
    options: list[tuple[str, str]]
    max_values: int = 1


def modal_fields(modal: dict[str, Any]) -> tuple[list[str], list[Field]]:
    """The texts shown in a modal and its inputs (classic action rows or label components)."""
    texts: list[str] = []
    fields: list[Field] = []

    def add(component: dict[str, Any], label: str | None) -> None:
        ctype = component.get("type")
        key = component.get("custom_id") or label or ""
        options = [(str(o.get("label")), str(o.get("value"))) for o in component.get("options") or []]
        if ctype == comp.TEXT_INPUT:
            default = component.get("value")
        elif ctype in comp.SELECT_TYPES or ctype in (comp.RADIO_GROUP, comp.CHECKBOX_GROUP):
            chosen = [label_ for label_, value in options if value in _defaults(component)]
            default = ", ".join(chosen) or None
        else:
            default = None
        fields.append(
            Field(
                key=key,
                label=str(label or component.get("placeholder") or key),
                type=int(ctype or 0),
                required=bool(component.get("required", True)),
                default=default,
                options=options,
                max_values=int(component.get("max_values") or 1),
            )
        )

    for top in modal.get("components") or []:
        if top.get("type") == comp.ACTION_ROW:
            for inner in top.get("components") or []:
                add(inner, inner.get("label"))
        elif top.get("type") == comp.LABEL:
            add(top.get("component") or {}, top.get("label"))
        elif top.get("type") == comp.TEXT_DISPLAY:
            texts.append(str(top.get("content", "")))
    return texts, fields


def _defaults(component: dict[str, Any]) -> set[str]:
    return {str(o.get("value")) for o in component.get("options") or [] if o.get("default")}


async def next_change(changes: ChangeFeed, timeout: float) -> None:
    """Wait for the fake's next change (TimeoutError after ``timeout`` seconds without one)."""
    version = changes.version
    await changes.wait_until(lambda: changes.version != version, timeout)


# -- the sandbox -----------------------------------------------------------------------------------


class Sandbox:
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

    # -- sandbox commands ----------------------------------------------------------------------------

    async def sandbox_command(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in (":quit", ":exit", ":q"):
            return False
        if word in (":help", ":h", ":?"):
            self.say(HELP)
        elif word == ":commands":
            self.say(self.command_list())
        elif word == ":time":
            await self.time(rest)
        elif word == ":advance":
            if not rest:
                raise InputError(":advance needs a duration, e.g. :advance 3h")
            await self.time("+" + rest.lstrip("+"))
        elif word == ":reset":
            await self.reset()
        else:
            raise InputError(f"unknown sandbox command {word}; :help lists them")
        return True

    async def _zone(self) -> ZoneInfo:
        _, bot = self.world
        user = await bot.store.users.get(self.you.id)
        return ZoneInfo(user.timezone) if user is not None and user.timezone else ZoneInfo("UTC")

    async def time(self, arg: str) -> None:
        zone = await self._zone()
        if arg.startswith("+"):
            try:
                delta = parse_duration(arg[1:])
            except ValueError as exc:
                raise InputError(str(exc)) from None
            target: datetime | None = self.clock.now() + delta
        elif arg:
            try:
                moment = datetime.fromisoformat(arg.replace(" UTC", "+00:00"))
            except ValueError:
                raise InputError(
                    f"{arg!r} is neither +duration (+3h, +1d, +90m) nor a date and time like 2026-11-23 14:00"
                ) from None
            target = moment if moment.tzinfo else moment.replace(tzinfo=zone)
        else:
            target = None
        now = target or self.clock.now()
        local = now.astimezone(zone)
        offset = now - datetime.now(UTC)
        shift = "" if abs(offset) < timedelta(seconds=1) else f", {_signed(offset)} from the real clock"
        utc = "" if zone.key == "UTC" else f" ({now.astimezone(UTC):%H:%M} UTC)"
        self.say(f"Clock: {local:%a %d %b %Y %H:%M} {zone.key}{utc}{shift}")
        if target is not None:
            await self.pass_time(target, zone)
            await self.settle()

    async def pass_time(self, target: datetime, zone: ZoneInfo) -> None:
        """Move the clock to ``target`` as time passing with the bot online would.

        Going forward, the clock stops at each pending prompt's due time on the way, and the bot sends
        what is due before it moves on; so every prompt goes out at its time (not dropped as too late),
        and what one prompt schedules (a snooze, a check-in) falls due in the same jump. Going back
        just sets the clock.
        """
        _, bot = self.world
        previous: datetime | None = None
        for _ in range(MAX_STOPS):
            due = await bot.store.prompts.next_due()
            if due is None or due > target or self.clock.now() >= target:
                break
            if due <= self.clock.now():
                if due == previous:  # still due after the bot had its turn: held, not ours to wait for
                    break
            else:
                self.clock.set(due)
                stop = f"{due.astimezone(zone):%a %d %b %H:%M}"
                if stop != f"{target.astimezone(zone):%a %d %b %H:%M}":  # a stop on the way, not the end
                    self.say(f"(time passes: {stop})")
            previous = due
            await self.settle()
        self.clock.set(target)

    async def reset(self) -> None:
        await self._stop_bot()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.clock = Clock()
        self.say(f"Forgot everything in {self.data_dir}; Debrief is starting afresh.")
        await self._start_bot()

    def command_list(self) -> str:
        fake, _ = self.world
        lines = ["Slash commands (options as name:value; /server ones run in the Sandbox server):"]
        for command in sorted(fake.state.commands.all(None), key=lambda c: c.name):
            for path, leaf in _leaves(command.name, command.data):
                lines.append(f"  /{path}  {describe_options(leaf)}")
        return "\n".join(lines)

    # -- acting as "you" ---------------------------------------------------------------------------

    async def dm(self, text: str) -> None:
        fake, _ = self.world
        sent = await self.you.send_dm(text)
        bot_id = fake.bot_user_id
        channel = self.you.dm_channel
        await self.settle(
            lambda: any(m.id > sent.id and m.author.id == bot_id and m.has_visible_content for m in channel.messages)
        )

    async def post(self, channel: FakeChannel, text: str) -> None:
        fake, _ = self.world
        text = re.sub(r"@debrief\b", fake.bot_user.mention, text, flags=re.IGNORECASE)
        await self.you.post(channel, text)
        await self.settle()

    async def slash(self, line: str, *, channel: FakeChannel | None = None) -> None:
        fake, _ = self.world
        words = line.lstrip("/").split(None, 1)
        if not words:
            raise InputError("type a command after /, e.g. /help; :commands lists them")
        name = words[0].lower()
        rest = words[1] if len(words) > 1 else ""
        command = fake.state.commands.find(name, self.guild)
        if command is None:
            known = ", ".join(f"/{c.name}" for c in sorted(fake.state.commands.all(None), key=lambda c: c.name))
            raise InputError(f"there is no /{name} command; the commands are {known}")
        contexts = command.data.get("contexts")
        if channel is None and (command.guild_id is not None or (contexts is not None and 1 not in contexts)):
            channel = self.guild.channel("general")
        guild = channel.guild if channel is not None else None
        path = name
        node: dict[str, Any] = command.data
        while any(o.get("type") in _SUBCOMMANDS for o in node.get("options") or []):
            subs = [o["name"] for o in node.get("options") or [] if o.get("type") in _SUBCOMMANDS]
            word, _, rest = rest.strip().partition(" ")
            match = next((o for o in node.get("options") or [] if o["name"] == word.lower()), None)
            if match is None or match.get("type") not in _SUBCOMMANDS:
                what = f"has no subcommand {word!r}" if word and ":" not in word else "needs a subcommand"
                raise InputError(f"/{path} {what}: one of {', '.join(subs)}")
            path += " " + match["name"]
            node = match
        pairs = split_options(rest, node, path)
        specs = {o["name"]: o for o in node.get("options") or []}
        missing = [n for n, o in specs.items() if o.get("required") and n not in dict(pairs)]
        if missing:
            needed = " ".join(f"{n}:..." for n in missing)
            raise InputError(f"/{path} needs {needed}; it takes {describe_options(node)}")
        values: dict[str, Any] = {}
        for option, text in pairs:
            values[option] = await self._value(path, specs[option], text, values, guild, channel)
        h = await self.you.slash(path, guild=guild, channel=channel, options=values)
        await self.follow(h)

    async def _value(
        self,
        path: str,
        spec: dict[str, Any],
        text: str,
        earlier: dict[str, Any],
        guild: FakeGuild | None,
        channel: FakeChannel | None,
    ) -> Any:
        """Turn what was typed for one option into what the client would send."""
        name, otype = spec["name"], spec["type"]
        needs = f"{name} takes {_TYPE_NAMES.get(otype, 'a value')}"
        if spec.get("choices"):
            value = find_choice(spec["choices"], text)
            if value is None:
                names = ", ".join(str(c["name"]) for c in spec["choices"])
                raise InputError(f"{name} is one of: {names}")
            return value
        if spec.get("autocomplete"):
            return await self._autocomplete(path, name, text, earlier, guild, channel)
        if otype == OptionType.STRING:
            return text
        if otype == OptionType.INTEGER:
            if not re.fullmatch(r"[+-]?\d+", text.strip()):
                raise InputError(needs)
            return int(text)
        if otype == OptionType.NUMBER:
            try:
                return float(text)
            except ValueError:
                raise InputError(needs) from None
        if otype == OptionType.BOOLEAN:
            lowered = text.strip().lower()
            if lowered not in {"true", "false", "yes", "no", "on", "off", "1", "0"}:
                raise InputError(needs)
            return lowered in {"true", "yes", "on", "1"}
        if otype in (OptionType.USER, OptionType.MENTIONABLE):
            if text.strip().lstrip("@").lower() in ("you", "me", str(self.you.id)):
                return self.you
            raise InputError(f"{name}: the only user in the sandbox is you")
        if otype == OptionType.CHANNEL:
            try:
                return self.guild.channel(text.strip())
            except KeyError:
                known = ", ".join(f"#{c.name}" for c in self.guild.channels)
                raise InputError(f"{name}: the Sandbox server has {known}") from None
        raise InputError(f"the sandbox can't give {name} ({_TYPE_NAMES.get(otype, otype)})")

    async def _autocomplete(
        self,
        path: str,
        name: str,
        text: str,
        earlier: dict[str, Any],
        guild: FakeGuild | None,
        channel: FakeChannel | None,
    ) -> Any:
        """Type ``text`` and pick from the bot's suggestions, as a user would: the exact one, else the first."""
        suggestions = await self.you.autocomplete(
            path, focused=name, value=text, guild=guild, channel=channel, options=earlier
        )
        exact = find_choice(suggestions, text)
        if exact is not None:
            return exact
        if not suggestions:
            return text
        first = suggestions[0]
        self.say(f'({name}: picked "{first["name"]}", the first of Debrief\'s suggestions)')
        return first["value"]

    async def follow(self, h: FakeInteraction) -> None:
        """After an interaction: a form to fill in, or wait for the bot's answer to show."""
        rtype, _ = await h.response(ANSWER_TIMEOUT)
        if rtype == CallbackType.MODAL:
            await self.settle()
            await self.fill_modal(h)
            return
        message = h.message
        if rtype in (CallbackType.CHANNEL_MESSAGE, CallbackType.DEFERRED_CHANNEL_MESSAGE):
            await self.settle(lambda: message is None or message.has_visible_content)
        else:
            await self.settle()

    def _latest(self, has: Callable[[FakeMessage], object], what: str) -> FakeMessage:
        for message in reversed(self._recent):
            if not message.deleted and has(message):
                return message
        raise InputError(f"no message from Debrief has {what}")

    async def click(self, which: str) -> None:
        """``click N`` / ``click Label``: the latest message with buttons; ``click M.N``: message M's."""
        head, dot, tail = which.partition(".")
        if dot and head.strip().isdigit() and tail.strip():
            message = self._numbered.get(int(head))
            if message is None or message.deleted or not message.buttons:
                raise InputError(f"there is no message {int(head)} with buttons")
            which = tail.strip()
        else:
            message = self._latest(lambda m: m.buttons, "buttons to click")
        buttons = message.buttons
        numbered = "  ".join(f"[{i}] {label}" for i, (label, _, _) in enumerate(buttons, start=1))
        if not which:
            raise InputError(f"click which? {numbered}")
        if which.isdigit():
            index = int(which)
            if not 1 <= index <= len(buttons):
                raise InputError(f"there is no button {index}: {numbered}")
        else:
            labels = [label.casefold() for label, _, _ in buttons]
            wanted = which.casefold()
            hits = [i for i, label in enumerate(labels, start=1) if label == wanted] or [
                i for i, label in enumerate(labels, start=1) if label.startswith(wanted)
            ]
            if len(hits) != 1:
                raise InputError(f"no button {'is' if not hits else 'is uniquely'} called {which!r}: {numbered}")
            index = hits[0]
        h = await self.you.click(message, index=index)
        await self.follow(h)

    async def select(self, arg: str) -> None:
        message = self._latest(lambda m: m.selects, "a select menu")
        menus = comp.selects(message.components)
        if not arg:
            raise InputError("select what? e.g. select Europe/Berlin")
        attempts = [(0, arg)]
        first, _, rest = arg.partition(" ")
        if first.isdigit() and rest.strip() and 1 <= int(first) <= len(menus):
            attempts.insert(0 if len(menus) > 1 else 1, (int(first) - 1, rest.strip()))
        problem = ""
        for index, text in attempts:
            try:
                values = self._menu_values(menus[index], text)
            except InputError as exc:
                problem = problem or str(exc)
                continue
            h = await self.you.select(message, values, custom_id=menus[index].get("custom_id"))
            await self.follow(h)
            return
        raise InputError(problem)

    def _menu_values(self, menu: dict[str, Any], text: str) -> list[Any]:
        mtype = menu.get("type")
        if mtype == comp.STRING_SELECT:
            options = [(str(o.get("label")), str(o.get("value"))) for o in menu.get("options") or []]
            return _pick(options, text, menu.get("placeholder") or "the menu")
        if mtype == comp.CHANNEL_SELECT:
            try:
                return [self.guild.channel(part.strip()).id for part in text.split(",")]
            except KeyError:
                known = ", ".join(f"#{c.name}" for c in self.guild.channels)
                raise InputError(f"the Sandbox server has {known}") from None
        if mtype in (comp.USER_SELECT, comp.MENTIONABLE_SELECT):
            return [self.you.id]
        raise InputError("the sandbox can't use this kind of menu")

    async def fill_modal(self, h: FakeInteraction) -> None:
        """Show the form, read one line per input (empty keeps the default), and submit it."""
        assert h.modal is not None
        texts, fields = modal_fields(h.modal)
        self.say(f"Debrief opens a form: {h.modal.get('title')}")
        for text in texts:
            self.say("  " + text)
        self.say("  One line per field; an empty line keeps what is in [brackets]; :cancel closes the form.")
        values: dict[str, Any] = {}
        for field in fields:
            shown = f"  {field.label}"
            if field.options:
                shown += f" ({' / '.join(label for label, _ in field.options)})"
            if field.default:
                shown += f" [{field.default}]"
            while True:
                line = await self.prompt(shown + ": ")
                if line is None or line.strip().lower() == ":cancel":
                    self.say("(form closed without sending it)")
                    return
                value = self._field_value(field, line.strip())
                if value is not None or not field.required or field.default:
                    break
                self.error(f"{field.label} is required")
            if value is not None:
                values[field.key] = value
        submitted = await h.submit_modal(values)
        await self.follow(submitted)

    def _field_value(self, field: Field, text: str) -> Any:
        if not text:
            return None
        if field.type == comp.CHECKBOX:
            return text.lower() in {"yes", "y", "true", "on", "1", "x"}
        if field.options:
            try:
                chosen = _pick(field.options, text, field.label)
            except InputError as exc:
                self.error(str(exc))
                return None
            return chosen[0] if field.type == comp.RADIO_GROUP else chosen
        return text


def _pick(options: list[tuple[str, str]], text: str, what: str) -> list[str]:
    """Option values for ``text``: one option by label or value, else a comma-separated list of them."""

    def one(part: str) -> str | None:
        wanted = part.strip().casefold()
        return next((value for label, value in options if wanted in (label.casefold(), value.casefold())), None)

    whole = one(text)
    if whole is not None:
        return [whole]
    parts = [one(part) for part in text.split(",")]
    if "," in text and all(parts):
        return [p for p in parts if p is not None]
    labels = " / ".join(label for label, _ in options)
    raise InputError(f"{text!r} is not an option of {what}: {labels}")


def _leaves(path: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    subs = [o for o in node.get("options") or [] if o.get("type") in _SUBCOMMANDS]
    if not subs:
        yield path, node
    for sub in subs:
        yield from _leaves(f"{path} {sub['name']}", sub)


def _signed(delta: timedelta) -> str:
    sign = "-" if delta < timedelta(0) else "+"
    seconds = int(abs(delta).total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes = seconds // 60
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return sign + ("".join(parts) or "0m")


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


__all__ = ["LineReader", "Sandbox", "run_sandbox", "split_options"]
