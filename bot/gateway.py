"""The bot's own messages, as the gateway echoes them back: not parsed.

Discord sends a bot ``MESSAGE_CREATE`` for every message it sends in a DM, and ``MESSAGE_UPDATE`` for every
edit of one (a debrief step turned into its record, buttons taken off). Debrief never reads them: every
``on_message`` handler returns at once for a bot's message, and it keeps no message cache
(``max_messages=None``, :class:`bot.app.DebriefBot`). discord.py would still build a full
:class:`discord.Message` for each (components, embeds, author), and search its cache for the edited one.
At 200 people that was about half the gateway events the bot received (bench/interactions.py, issue 15).

:func:`skip_own_messages` puts a check in front of discord.py's two parsers: a message whose author is the
bot itself is dropped before it is parsed, unless an edit carries components for a view discord.py tracks
by message (a view sent without a ``custom_id`` store of its own, kept in step with the message's edits):
that edit goes on to discord.py as before. Everything else (people's messages, other bots', servers') is
parsed exactly as before.

It uses two of discord.py's private attributes (``ConnectionState.parsers``, ``_view_store``), as of 2.7,
the version ``pyproject.toml`` pins (``<2.8``): a renamed parser table fails at start-up (a KeyError), and
``tests/cogs/test_own_messages_e2e.py`` fails if either stops doing what is described here. Measured: 11 %
less CPU for the bot at 200 people (docs/benchmarks.md, "Sixth round").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

Parser = Callable[[Any], None]


def _author_id(data: dict[str, Any]) -> str | None:
    author = data.get("author")
    return author.get("id") if isinstance(author, dict) else None


def skip_own_messages(client: discord.Client) -> None:
    """Drop the gateway's echo of ``client``'s own messages before discord.py parses them (see above)."""
    state = client._connection
    parsers: dict[str, Parser] = state.parsers
    create, update = parsers["MESSAGE_CREATE"], parsers["MESSAGE_UPDATE"]

    def own(data: dict[str, Any]) -> bool:
        me = state.self_id
        return me is not None and _author_id(data) == str(me)

    def tracked(data: dict[str, Any]) -> bool:
        """discord.py keeps a view in step with this message's edits (its ``parse_message_update``)."""
        if "components" not in data:
            return False
        try:
            entity_id = int(data["interaction"]["id"])
        except (KeyError, TypeError, ValueError):
            entity_id = int(data["id"])
        return state._view_store.is_message_tracked(entity_id)

    def message_create(data: dict[str, Any]) -> None:
        if not own(data):
            create(data)

    def message_update(data: dict[str, Any]) -> None:
        if not own(data) or tracked(data):
            update(data)

    parsers["MESSAGE_CREATE"] = message_create
    parsers["MESSAGE_UPDATE"] = message_update
