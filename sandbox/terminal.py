"""The sandbox's terminal side: its settings and help, reading lines from stdin, parsing slash
command options, and printing the fake's messages, embeds and forms as text."""

from __future__ import annotations

import asyncio
import codecs
import dataclasses
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from fakediscord import FakeMessage
from fakediscord import components as comp
from fakediscord.commands import OptionType
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
