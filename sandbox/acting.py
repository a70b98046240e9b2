"""What "you" do in the sandbox: its own commands (the clock, :reset, :commands) and, as a user of the
fake Discord, slash commands, clicks, selects and forms. A mixin of :class:`sandbox.session.Sandbox`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.coach.durations import parse_duration
from fakediscord import FakeChannel, FakeGuild, FakeInteraction, FakeMessage
from fakediscord import components as comp
from fakediscord.commands import OptionType
from fakediscord.interactions import CallbackType
from sandbox.terminal import (
    _SUBCOMMANDS,
    _TYPE_NAMES,
    ANSWER_TIMEOUT,
    HELP,
    MAX_STOPS,
    Field,
    InputError,
    _leaves,
    _pick,
    _signed,
    describe_options,
    find_choice,
    modal_fields,
    split_options,
)


class Acting:
    """The sandbox's commands and "you" acting on the fake Discord (mixed into :class:`Sandbox`)."""

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
