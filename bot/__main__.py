"""``python -m bot [--config PATH]`` runs Debrief; ``python -m bot sandbox`` tries it without Discord.

Every expected failure ends with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot.app import bot_class, point_discord_at
from bot.config import ConfigError, Settings, load_settings
from bot.ops.logs import init_sentry
from bot.ops.logs import use_format as use_log_format
from bot.store import Store, StoreError
from bot.store import backup as store_backup
from bot.store.backup import DatabaseLock

log = logging.getLogger("bot")


class Fatal(Exception):
    """A failure reported as one line and exit status 1."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the Debrief Discord bot.")
    parser.add_argument("--config", type=Path, help="TOML settings file (default: ./config.toml if present)")
    parser.add_argument(
        "mode",
        nargs="?",
        choices=["run", "sandbox", "backup", "restore", "migrate-store"],
        default="run",
        help="run: connect to Discord (default); sandbox: try Debrief in this terminal; "
        "backup PATH: copy the database, safe while the bot runs; restore PATH: put a backup back (bot stopped); "
        "migrate-store --to URL: copy the SQLite database into an empty PostgreSQL database (bot stopped)",
    )
    parser.add_argument("path", nargs="?", type=Path, help="backup and restore: the backup file")
    parser.add_argument("--to", metavar="URL", help="migrate-store: the PostgreSQL database, postgresql://…")
    return parser.parse_args(argv)


class _NoVoiceNoise(logging.Filter):
    """Debrief has no voice features: discord.py's "PyNaCl/davey is not installed" warnings are noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def setup_logging(level: str) -> None:
    """Logs go to stdout; stderr is kept for the one line that says why the bot could not run."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(_NoVoiceNoise())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


async def run_bot(settings: Settings) -> None:
    point_discord_at(settings.discord.api_base, settings.discord.gateway_url)
    if settings.storage.database_url:  # PostgreSQL: several processes share it, by design
        await _run_bot(settings)
        return
    lock = DatabaseLock(settings.storage.database_path).acquire()  # restore refuses while held
    try:
        await _run_bot(settings)
    finally:
        lock.release()


async def _run_bot(settings: Settings) -> None:
    store = await Store.open(settings.storage.database_target)
    bot = bot_class(settings)(settings, store)
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # A clean close on Ctrl-C or a service manager's stop: the queue and the database shut down.
        loop.add_signal_handler(signum, lambda: closing.add(loop.create_task(bot.close())))
    try:
        async with bot:
            await bot.start(settings.discord.token)
    except discord.LoginFailure:
        raise Fatal("the server rejected the token in DISCORD_TOKEN (401 Unauthorized); check it") from None
    except discord.PrivilegedIntentsRequired:
        raise Fatal(
            "discord.message_content is on but the Message Content intent is not enabled for this "
            "application in the Developer Portal; enable it or set message_content = false"
        ) from None
    except aiohttp.ClientConnectorError as exc:
        raise Fatal(f"cannot reach the Discord API at {discord.http.Route.BASE}: {exc.os_error}") from None
    finally:
        await store.close()


NO_TOKEN = (
    "DISCORD_TOKEN is not set: put the bot's token in the DISCORD_TOKEN environment variable, "
    "or try Debrief without Discord with: python -m bot sandbox"
)

SANDBOX_MISSING = (
    "the sandbox is not part of the installed bot: from a clone of the repository, run "
    "pip install -e '.[sandbox]' and then python -m bot sandbox in the clone's directory"
)


def load_sandbox() -> Callable[[Settings], Coroutine[Any, Any, int]]:
    """The sandbox's entry point, from the repository's ``sandbox`` package (not installed with the bot)."""
    try:
        from sandbox import run_sandbox
    except ImportError as exc:
        if exc.name is None or exc.name.partition(".")[0] not in _SANDBOX_NEEDS:
            raise
        raise Fatal(SANDBOX_MISSING) from None
    return run_sandbox


#: Imports whose absence means "the sandbox is not available here", not a bug in it.
_SANDBOX_NEEDS = frozenset({"sandbox", "fakediscord", "jsonschema", "referencing"})


def backup_or_restore(mode: str, path: Path | None, settings: Settings) -> int:
    """``python -m bot backup PATH`` / ``python -m bot restore PATH``: one line on stdout when done."""
    if settings.storage.database_url:
        raise Fatal(
            f"{mode} is for the SQLite store; the store is on PostgreSQL (DEBRIEF_DATABASE): use pg_dump and "
            "pg_restore (docs/operating.md)"
        )
    if path is None:
        raise Fatal(f"{mode} needs a path: python -m bot {mode} PATH")
    database = settings.storage.database_path
    if mode == "backup":
        version = store_backup.backup(database, path)
        print(f"backed up {database} to {path} (schema version {version})")
    else:
        version = store_backup.restore(path, database)
        print(f"restored {path} into {database} (schema version {version}); start the bot to use it")
    return 0


def migrate_store(url: str | None, settings: Settings) -> int:
    """``python -m bot migrate-store --to postgresql://…``: a line per table, then one saying it is done."""
    from bot.store import pg
    from bot.store.transfer import copy_sqlite_to_postgresql

    if not url or not pg.is_url(url):
        raise Fatal("migrate-store needs the target: python -m bot migrate-store --to postgresql://USER@HOST/DATABASE")
    source = settings.storage.database_path
    copied = asyncio.run(copy_sqlite_to_postgresql(source, url, say=print))
    print(
        f"copied {sum(copied.values())} rows in {len(copied)} tables from {source} into PostgreSQL; row counts match. "
        "Set DEBRIEF_DATABASE (or storage.database) to the URL to run on it"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings(args.config)
        if args.mode in ("backup", "restore"):
            return backup_or_restore(args.mode, args.path, settings)
        if args.mode == "migrate-store":
            return migrate_store(args.to, settings)
        if args.mode == "sandbox":
            run_sandbox = load_sandbox()
            setup_logging("WARNING")
            return asyncio.run(run_sandbox(settings))
        if not settings.discord.token:
            raise Fatal(NO_TOKEN)
        setup_logging(settings.log_level)
        use_log_format(settings.ops.log_format)  # text or JSON lines (bot/ops/logs.py)
        init_sentry(os.environ.get("SENTRY_DSN"))
        asyncio.run(run_bot(settings))
    except (Fatal, ConfigError, StoreError) as exc:
        print(f"debrief: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
