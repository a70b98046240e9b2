"""Typed settings: a TOML file, overridden by the environment.

Every setting has a default, so the file is optional. Precedence, lowest first: the defaults below,
the TOML file (``--config PATH``, else ``./config.toml`` if it exists), then the environment:

* ``DISCORD_TOKEN`` — the bot token. Only ever from the environment; a ``token`` key in the file is
  refused so a secret never ends up committed.
* ``DISCORD_API_BASE``, ``DISCORD_GATEWAY_URL`` — another Discord-compatible server.
* ``DEBRIEF_DATA_DIR``, ``DEBRIEF_DATABASE``, ``DEBRIEF_LOG_LEVEL``.
* ``DEBRIEF_<SECTION>__<KEY>`` for any other setting, e.g. ``DEBRIEF_COACHING__DEBRIEF_DELAY=2h``.

Problems are raised as :class:`ConfigError` whose text is one line naming the file, line and key.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.coach.durations import parse_duration
from bot.coach.waking import QuietHours, parse_clock
from bot.ops.paths import default_data_dir
from bot.ops.settings import OpsSettings


class ConfigError(Exception):
    """A setting is missing or wrong. ``str(err)`` is a single line meant for the operator."""


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    token: str = field(default="", repr=False)
    api_base: str = ""
    gateway_url: str = ""
    #: "auto" syncs the command tree when it differs from the last synced one, "always" at every
    #: start, "never" leaves it to the operator.
    sync_commands: str = "auto"
    #: Ask for the privileged Message Content intent (needed only to read notice-channel posts).
    message_content: bool = False
    #: Ask for the privileged Server Members intent: only to hear that a member left a server, so
    #: their membership there is forgotten at once. Enable it in the Developer Portal first.
    members_intent: bool = False
    #: Sharding (required from 2,500 servers): how many shards the bot has in all, and which of them this
    #: process runs ("0,1"; empty = all of them). Several processes need the PostgreSQL store
    #: (docs/operating.md).
    shard_count: int = 1
    shard_ids: str = ""

    @property
    def shards(self) -> tuple[int, ...]:
        """The shard ids this process runs."""
        if not self.shard_ids.strip():
            return tuple(range(self.shard_count))
        return tuple(int(part) for part in self.shard_ids.split(","))


@dataclass(frozen=True, slots=True)
class StorageSettings:
    #: Not the current directory: systemd's StateDirectory, else the platform's user data directory.
    data_dir: Path = field(default_factory=default_data_dir)
    #: A file path (SQLite, the default) or a ``postgresql://`` URL (several bot processes share it).
    database: Path | str | None = None

    @property
    def database_url(self) -> str | None:
        """The PostgreSQL URL, when the store is PostgreSQL."""
        return self.database if isinstance(self.database, str) else None

    @property
    def database_path(self) -> Path:
        """The SQLite file (with PostgreSQL, where the file would be: only backups and locks use it)."""
        return self.database if isinstance(self.database, Path) else self.data_dir / "debrief.db"

    @property
    def database_target(self) -> Path | str:
        """What :meth:`bot.store.Store.open` opens: the URL, else the file."""
        return self.database_url or self.database_path


@dataclass(frozen=True, slots=True)
class CoachingSettings:
    debrief_delay: timedelta = timedelta(hours=3)
    reset_window: timedelta = timedelta(hours=14)
    ghosting_wait: timedelta = timedelta(days=10)
    max_lateness: timedelta = timedelta(hours=12)
    default_quiet_hours: QuietHours = QuietHours(parse_clock("22:00"), parse_clock("08:00"))
    summary_time: str = "Sun 18:00"
    #: A cohort summary shows a category only when this many different members contribute (at least 3).
    min_group: int = 3


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    #: REST requests per second at most (DM opens, sends, edits: each counts), below Discord's global
    #: limit of 50 requests/s. Interaction responses are exempt and never wait. The spacing only smooths:
    #: what keeps 429s away is the pacer's window rule (bot.delivery.RequestPacer), whatever the rate.
    rate: float = 48.0
    #: First retry delay after a failed send (doubles each attempt up to ``retry_max``).
    retry_initial: timedelta = timedelta(minutes=5)
    retry_max: timedelta = timedelta(hours=6)
    #: How many due prompts one claim takes.
    batch: int = 200
    #: How many bot processes share the bot's rate (the global limit is per bot, not per process): each
    #: process paces its requests at ``rate / processes`` (docs/operating.md says why a fixed split).
    processes: int = 1
    #: PostgreSQL: how often each process looks for claims left by a process that died (and sends them).
    reclaim_every: timedelta = timedelta(minutes=1)


#: The privacy page: its path in Debrief's repository, until the operator sets the URL of their copy.
POLICY_URL = "docs/privacy.md"

#: The retention warning comes this long before the data of an inactive user is deleted.
RETENTION_NOTICE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    #: Delete the data of users inactive this long ("off", the default, keeps it until they /forget).
    #: Inactive: no command, button, form or DM to the bot in that time (see docs/privacy.md).
    retention: timedelta = timedelta(0)
    #: How often the retention sweep looks for inactive users.
    sweep_every: timedelta = timedelta(hours=1)
    #: The privacy page /help links to (docs/privacy.md, or the operator's own copy of it).
    policy_url: str = POLICY_URL


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """What one user can make the bot do, so that nobody can slow or harm the others."""

    #: Interviews one user may record in 24 hours.
    interviews_per_day: int = 30
    #: Prompts one user may have waiting (an interview schedules up to three: the debrief prompt, the
    #: ghosting nudge and, for one still ahead, the evening-before note).
    pending_prompts_per_user: int = 150
    #: An interview read from a message waits this long for its confirm button, then expires.
    draft_ttl: timedelta = timedelta(hours=24)
    #: The same interview logged again within this long (a retry after "This interaction failed") is
    #: not recorded twice.
    retry_window: timedelta = timedelta(minutes=10)
    #: Commands that do heavy work (listing, comparing feedback) may run this many times per
    #: ``heavy_period`` per user.
    heavy_commands: int = 5
    heavy_period: timedelta = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Settings:
    discord: DiscordSettings = DiscordSettings()
    storage: StorageSettings = StorageSettings()
    coaching: CoachingSettings = CoachingSettings()
    dispatch: DispatchSettings = DispatchSettings()
    ops: OpsSettings = OpsSettings()
    privacy: PrivacySettings = PrivacySettings()
    limits: LimitSettings = LimitSettings()
    log_level: str = "INFO"
    source: Path | None = None


_SECTIONS: dict[str, type] = {
    "discord": DiscordSettings,
    "storage": StorageSettings,
    "coaching": CoachingSettings,
    "dispatch": DispatchSettings,
    "ops": OpsSettings,
    "privacy": PrivacySettings,
    "limits": LimitSettings,
}
_ENV_DIRECT = {
    "DISCORD_API_BASE": ("discord", "api_base"),
    "DISCORD_GATEWAY_URL": ("discord", "gateway_url"),
    "DEBRIEF_DATA_DIR": ("storage", "data_dir"),
    "DEBRIEF_DATABASE": ("storage", "database"),
}


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (or ``./config.toml`` when present) and the environment."""
    env = os.environ if env is None else env
    explicit = path is not None
    if path is None:
        path = Path("config.toml")
    raw: dict[str, Any] = {}
    text = ""
    source: Path | None = None
    if explicit or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"config file {path} not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} cannot be read: {_reason(exc)}") from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        source = path

    where = _Locator(path, text)
    values: dict[str, dict[str, tuple[Any, str]]] = {name: {} for name in _SECTIONS}
    log_level: tuple[Any, str] = ("INFO", "default")
    for key, value in raw.items():
        if key == "log_level":
            log_level = (value, where.at(None, key))
        elif key in ("token", "discord_token"):
            raise ConfigError(f"{where.at(None, key)}: the token is read only from DISCORD_TOKEN; remove it")
        elif key in _SECTIONS and isinstance(value, dict):
            for sub, subvalue in value.items():
                values[key][sub] = (subvalue, where.at(key, sub))
        else:
            raise ConfigError(f"{where.at(None, key)}: unknown setting {key!r}")
    if "token" in values["discord"]:
        raise ConfigError(f"{values['discord']['token'][1]}: the token is read only from DISCORD_TOKEN; remove it")

    for name, (section, key) in _ENV_DIRECT.items():
        if env.get(name):
            values[section][key] = (env[name], f"environment {name}")
    for name, value in env.items():
        match = re.fullmatch(r"DEBRIEF_([A-Z]+)__([A-Z_]+)", name)
        if match and match.group(1).lower() in _SECTIONS:
            values[match.group(1).lower()][match.group(2).lower()] = (value, f"environment {name}")
    if env.get("DEBRIEF_LOG_LEVEL"):
        log_level = (env["DEBRIEF_LOG_LEVEL"], "environment DEBRIEF_LOG_LEVEL")

    values["storage"].setdefault("data_dir", (str(default_data_dir(env)), "default"))  # bot/ops/paths.py
    sections = {name: _build(cls, values[name], name) for name, cls in _SECTIONS.items()}
    sections["discord"] = dataclasses.replace(sections["discord"], token=env.get("DISCORD_TOKEN", "").strip())
    level, level_where = log_level
    if not isinstance(level, str) or level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"{level_where}: log_level: expected one of DEBUG, INFO, WARNING, ERROR")
    settings = Settings(**sections, log_level=level.upper(), source=source)
    _check(settings, values)
    return settings


def _build(cls: type, given: dict[str, tuple[Any, str]], section: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, (value, where) in given.items():
        if key not in fields or key == "token":
            raise ConfigError(f"{where}: unknown setting {section}.{key}")
        default = getattr(cls(), key)
        try:
            kwargs[key] = _coerce(value, default, key)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: {section}.{key}: {exc}") from None
    return cls(**kwargs)


def _coerce(value: Any, default: Any, key: str) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
        raise TypeError("expected true or false")
    if isinstance(default, timedelta):
        if key == "retention" and isinstance(value, str) and value.strip().lower() in {"off", ""}:
            return timedelta(0)
        if not isinstance(value, str):
            raise TypeError('expected a duration such as "3h", "90m" or "10d"')
        return parse_duration(value)
    if isinstance(default, QuietHours):
        if not isinstance(value, str) or value.count("-") != 1:
            raise TypeError('expected a range such as "22:00-08:00"')
        start, end = value.split("-")
        return QuietHours(parse_clock(start.strip()), parse_clock(end.strip()))
    if isinstance(default, Path) or key in {"database"}:
        if not isinstance(value, str) or not value.strip():
            raise TypeError("expected a path")
        if key == "database" and value.strip().startswith(("postgresql://", "postgres://")):
            return value.strip()  # PostgreSQL (bot/store/pg.py); a URL is not a path
        return Path(value).expanduser()
    if isinstance(default, float):
        number = float(value)
        if number <= 0:
            raise ValueError("expected a positive number")
        return number
    if isinstance(default, int):
        number = int(value)
        if number <= 0:
            raise ValueError("expected a positive whole number")
        return number
    if isinstance(default, str):
        if not isinstance(value, str):
            raise TypeError("expected a string")
        return value.strip()
    raise TypeError("unsupported value")


def _check(settings: Settings, values: dict[str, dict[str, tuple[Any, str]]]) -> None:
    def where(section: str, key: str) -> str:
        return values[section].get(key, (None, "default"))[1]

    sync = settings.discord.sync_commands
    if sync not in {"auto", "always", "never"}:
        raise ConfigError(f"{where('discord', 'sync_commands')}: discord.sync_commands: expected auto, always or never")
    for key in ("api_base", "gateway_url"):
        url = getattr(settings.discord, key)
        schemes = ("http://", "https://") if key == "api_base" else ("ws://", "wss://")
        if url and not url.startswith(schemes):
            raise ConfigError(f"{where('discord', key)}: discord.{key}: expected a URL starting with {schemes[0]}")
    discord_ = settings.discord
    try:
        shards = discord_.shards
    except ValueError:
        shards = (-1,)
    if not shards or len(set(shards)) != len(shards) or not all(0 <= s < discord_.shard_count for s in shards):
        raise ConfigError(
            f"{where('discord', 'shard_ids')}: discord.shard_ids: expected distinct shard numbers from 0 to "
            f'{discord_.shard_count - 1}, separated by commas, e.g. "0,1" (shard_count is {discord_.shard_count})'
        )
    if settings.dispatch.processes > 1 and not settings.storage.database_url:
        raise ConfigError(
            f"{where('dispatch', 'processes')}: dispatch.processes: several processes share one PostgreSQL "
            "database; set storage.database (DEBRIEF_DATABASE) to a postgresql:// URL"
        )
    coaching = settings.coaching
    for key in ("debrief_delay", "reset_window", "ghosting_wait", "max_lateness"):
        if getattr(coaching, key) <= timedelta(0):
            raise ConfigError(f"{where('coaching', key)}: coaching.{key}: must be longer than zero")
    if settings.ops.log_format not in {"text", "json"} or settings.ops.http_port > 65535:
        raise ConfigError(f"{where('ops', 'log_format')}: ops: log_format is text or json, http_port at most 65535")
    privacy = settings.privacy
    if privacy.retention and privacy.retention < 2 * RETENTION_NOTICE:
        raise ConfigError(
            f'{where("privacy", "retention")}: privacy.retention: expected "off" or at least 14d '
            "(users are warned a week before their data is deleted)"
        )
    if privacy.sweep_every <= timedelta(0):
        raise ConfigError(f"{where('privacy', 'sweep_every')}: privacy.sweep_every: must be longer than zero")
    if not privacy.policy_url:
        raise ConfigError(f"{where('privacy', 'policy_url')}: privacy.policy_url: expected a URL or a path")
    if settings.dispatch.reclaim_every <= timedelta(0):
        raise ConfigError(f"{where('dispatch', 'reclaim_every')}: dispatch.reclaim_every: must be longer than zero")
    for key in ("draft_ttl", "retry_window", "heavy_period"):
        if getattr(settings.limits, key) <= timedelta(0):
            raise ConfigError(f"{where('limits', key)}: limits.{key}: must be longer than zero")
    if not re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}:\d{2}", coaching.summary_time):
        raise ConfigError(f'{where("coaching", "summary_time")}: coaching.summary_time: expected e.g. "Sun 18:00"')


class _Locator:
    """Finds the line of a key in the TOML text, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def at(self, section: str | None, key: str) -> str:
        current: str | None = None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = re.fullmatch(r"\[\s*([A-Za-z0-9_.-]+)\s*\]", stripped)
            if header:
                current = header.group(1)
                if section is None and current == key:
                    return f"{self.path}:{number}"
                continue
            if current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
                return f"{self.path}:{number}"
        return str(self.path)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)
