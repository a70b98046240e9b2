"""Application commands the bot registered, and turning a user's input into interaction options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import components as comp
from .models import FakeChannel, FakeGuild, Perm, User

if TYPE_CHECKING:
    from .snowflake import SnowflakeFactory


class OptionType:
    """Application command option types."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class CommandUnavailable(LookupError):
    """The user could not run this command here (unknown, wrong context, or missing permissions)."""


@dataclass(eq=False)
class RegisteredCommand:
    """A command as Discord stores it after a sync."""

    id: int
    application_id: int
    guild_id: int | None
    data: dict[str, Any]
    version: int

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def type(self) -> int:
        return int(self.data.get("type") or 1)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "application_id": str(self.application_id),
            "version": str(self.version),
            "type": self.type,
            "name": self.name,
            "description": self.data.get("description", ""),
            "default_member_permissions": self.data.get("default_member_permissions"),
            "nsfw": bool(self.data.get("nsfw", False)),
            "name_localizations": self.data.get("name_localizations"),
            "description_localizations": self.data.get("description_localizations"),
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        else:
            payload["contexts"] = self.data.get("contexts")
            payload["integration_types"] = self.data.get("integration_types") or [0]
            payload["dm_permission"] = self.data.get("dm_permission", True)
        if self.data.get("options"):
            payload["options"] = comp.json_copy(self.data["options"])
        return payload


class CommandRegistry:
    """Global and per-guild commands, keyed by (type, name) like Discord."""

    def __init__(self, application_id: int, ids: SnowflakeFactory) -> None:
        self.application_id = application_id
        self._ids = ids
        self.global_commands: dict[tuple[int, str], RegisteredCommand] = {}
        self.guild_commands: dict[int, dict[tuple[int, str], RegisteredCommand]] = {}
        self.syncs = 0

    def _table(self, guild_id: int | None) -> dict[tuple[int, str], RegisteredCommand]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(guild_id, {})

    def _make(self, guild_id: int | None, data: dict[str, Any], old: RegisteredCommand | None) -> RegisteredCommand:
        return RegisteredCommand(
            id=old.id if old else self._ids.next(),
            application_id=self.application_id,
            guild_id=guild_id,
            data=comp.json_copy(data),
            version=self._ids.next(),
        )

    def replace(self, guild_id: int | None, commands: list[dict[str, Any]]) -> list[RegisteredCommand]:
        """Bulk overwrite (PUT): keep ids of commands whose (type, name) survive."""
        table = self._table(guild_id)
        new: dict[tuple[int, str], RegisteredCommand] = {}
        for data in commands:
            key = (int(data.get("type") or 1), str(data["name"]))
            new[key] = self._make(guild_id, data, table.get(key))
        table.clear()
        table.update(new)
        self.syncs += 1
        return list(new.values())

    def upsert(self, guild_id: int | None, data: dict[str, Any]) -> RegisteredCommand:
        """Create or replace a single command (POST)."""
        table = self._table(guild_id)
        key = (int(data.get("type") or 1), str(data["name"]))
        table[key] = self._make(guild_id, data, table.get(key))
        self.syncs += 1
        return table[key]

    def all(self, guild_id: int | None) -> list[RegisteredCommand]:
        return list(self._table(guild_id).values())

    def by_id(self, guild_id: int | None, command_id: int) -> RegisteredCommand | None:
        return next((c for c in self._table(guild_id).values() if c.id == command_id), None)

    def delete(self, guild_id: int | None, command_id: int) -> bool:
        table = self._table(guild_id)
        for key, command in list(table.items()):
            if command.id == command_id:
                del table[key]
                return True
        return False

    def find(self, name: str, guild: FakeGuild | None, ctype: int = 1) -> RegisteredCommand | None:
        """The command a user sees under ``name`` (guild commands shadow global ones)."""
        if guild is not None:
            command = self.guild_commands.get(guild.id, {}).get((ctype, name))
            if command is not None:
                return command
        return self.global_commands.get((ctype, name))


def resolve_path(command: RegisteredCommand, parts: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Walk ``parts`` (subcommand group / subcommand names) down the command's option tree.

    Returns the chain of (sub)command nodes, excluding the root, and the leaf node whose
    ``options`` are the actual arguments.
    """
    chain: list[dict[str, Any]] = []
    node: dict[str, Any] = command.data
    for part in parts:
        subs = [
            o
            for o in node.get("options") or []
            if o.get("type") in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
        ]
        match = next((o for o in subs if o.get("name") == part), None)
        if match is None:
            raise CommandUnavailable(f"/{command.name} has no subcommand {part!r}")
        chain.append(match)
        node = match
    if any(o.get("type") in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP) for o in node.get("options") or []):
        names = [o["name"] for o in node.get("options") or []]
        raise CommandUnavailable(f"/{command.name} {' '.join(parts)} needs a subcommand: one of {names}")
    return chain, node


class OptionBuilder:
    """Converts Python values into interaction options plus the ``resolved`` data Discord adds."""

    def __init__(self, guild: FakeGuild | None, invoker: User, lookup_user: Any, lookup_channel: Any) -> None:
        self.guild = guild
        self.invoker = invoker
        self._lookup_user = lookup_user
        self._lookup_channel = lookup_channel
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(
        self, leaf: dict[str, Any], values: dict[str, Any], *, focused: str | None = None
    ) -> list[dict[str, Any]]:
        """Options for ``leaf`` from ``values``, checking names, requiredness, types and choices."""
        defined = {o["name"]: o for o in leaf.get("options") or []}
        unknown = set(values) - set(defined)
        if unknown:
            raise ValueError(f"unknown option(s) {sorted(unknown)}; this command takes {sorted(defined)}")
        options: list[dict[str, Any]] = []
        for name, spec in defined.items():
            if name not in values:
                if spec.get("required") and focused is None:  # while autocompleting, later options may be empty
                    raise ValueError(f"option {name!r} is required")
                continue
            if name == focused:
                if not spec.get("autocomplete"):
                    raise ValueError(f"option {name!r} does not use autocomplete")
                options.append({"name": name, "type": spec["type"], "value": str(values[name]), "focused": True})
                continue
            options.append({"name": name, "type": spec["type"], "value": self._convert(spec, values[name])})
        return options

    def _convert(self, spec: dict[str, Any], value: Any) -> Any:
        otype = spec["type"]
        name = spec["name"]
        if otype in (OptionType.STRING, OptionType.INTEGER, OptionType.NUMBER):
            value = self._check_scalar(spec, value)
        elif otype == OptionType.BOOLEAN:
            if not isinstance(value, bool):
                raise TypeError(f"option {name!r} takes a bool")
        elif otype in (OptionType.USER, OptionType.MENTIONABLE):
            user = self._lookup_user(value)
            self._resolve_user(user)
            value = str(user.id)
        elif otype == OptionType.CHANNEL:
            channel = self._lookup_channel(value)
            allowed = spec.get("channel_types")
            if allowed and channel.type not in allowed:
                raise ValueError(f"option {name!r} takes channel types {allowed}, not {channel.type}")
            self.resolved.setdefault("channels", {})[str(channel.id)] = self._channel_payload(channel)
            value = str(channel.id)
        else:
            raise NotImplementedError(f"option type {otype} is not supported by the fake")
        choices = spec.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"option {name!r} must be one of {[c['value'] for c in choices]}")
        return value

    @staticmethod
    def _check_scalar(spec: dict[str, Any], value: Any) -> Any:
        otype, name = spec["type"], spec["name"]
        if otype == OptionType.STRING:
            if not isinstance(value, str):
                raise TypeError(f"option {name!r} takes a str")
            if len(value) > int(spec.get("max_length", 6000)) or len(value) < int(spec.get("min_length", 0)):
                raise ValueError(f"option {name!r} has a length outside its limits")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"option {name!r} takes a number")
        if otype == OptionType.INTEGER and not isinstance(value, int):
            raise TypeError(f"option {name!r} takes an int")
        low, high = spec.get("min_value"), spec.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"option {name!r} must be between {low} and {high}")
        return value

    def _resolve_user(self, user: User) -> None:
        self.resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
        if self.guild is not None and user.id in self.guild.members:
            member = self.guild.members[user.id].to_payload(with_user=False)
            member["permissions"] = str(self.guild.permissions_for(user.id))
            self.resolved.setdefault("members", {})[str(user.id)] = member

    def _channel_payload(self, channel: FakeChannel) -> dict[str, Any]:
        payload: dict[str, Any] = {"id": str(channel.id), "type": channel.type, "name": channel.name or "", "flags": 0}
        if channel.guild is not None:
            payload["guild_id"] = str(channel.guild.id)
            payload["parent_id"] = None
            payload["permissions"] = str(channel.guild.permissions_for(self.invoker.id))
        else:
            payload["permissions"] = str(Perm.DM)
        return payload


def nest_options(chain: list[dict[str, Any]], leaf_options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrap leaf options in their subcommand (group) option objects, as Discord sends them."""
    options = leaf_options
    for node in reversed(chain):
        options = [{"name": node["name"], "type": node["type"], "options": options}]
    return options
