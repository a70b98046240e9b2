"""One debrief action at a time per user, in arrival order."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CLICK_WAIT = 1.5  # seconds a click or form waits for the user's previous action (see Turns.turn)
#: Seconds a click already answered (its components off) waits for the user's previous action: it no
#: longer races Discord's 3 s, only its follow-ups' 15 minutes, so it waits for a slow one too.
ANSWERED_WAIT = 60.0


@dataclass
class _Turn:
    """A user's debrief actions (clicks, forms, typed replies) in arrival order: the first holds the turn."""

    line: deque[asyncio.Future[None]] = field(default_factory=deque)


class Turns:
    """Per-user lines that exist only while someone waits: memory does not grow with the users."""

    def __init__(self) -> None:
        self._turns: dict[int, _Turn] = {}

    @asynccontextmanager
    async def turn(
        self, user_id: int, wait: float | None = None, *, first: Callable[[], Awaitable[None]] | None = None
    ) -> AsyncIterator[None]:
        """discord.py runs each DM and each click in its own task: without this, two quick DMs would race
        for the same step instead of answering two steps in order, and a reply typed right after a click
        could read the step message before the click recorded the new one. An action takes its place in
        the line as it arrives (before anything is awaited), so the order is the order of arrival.

        ``first``: what to do at once when the action has to wait (a click's answer to Discord): it runs
        with the action's place in the line kept, before the wait. A click not answered yet waits at most
        ``wait`` seconds (a typed reply may be held up by Discord's per-channel send limit, and an
        interaction must be answered within 3 s); after that it goes ahead, and the store's step check
        still keeps the answers right.
        """
        turn = self._turns.setdefault(user_id, _Turn())
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if not turn.line:
            mine.set_result(None)
        turn.line.append(mine)
        try:
            if not mine.done():
                if first is not None:
                    await first()
                try:
                    await asyncio.wait_for(asyncio.shield(mine), wait)
                except TimeoutError:
                    log.info("debrief action of user %s went ahead without waiting its turn", user_id)
            yield
        finally:
            self._leave(user_id, turn, mine)

    def _leave(self, user_id: int, turn: _Turn, mine: asyncio.Future[None]) -> None:
        """Out of the line; the turn, if this action held it, passes to the next in line."""
        held = turn.line[0] is mine
        turn.line.remove(mine)
        if held and turn.line and not turn.line[0].done():
            turn.line[0].set_result(None)
        if not turn.line:
            del self._turns[user_id]

    def __contains__(self, user_id: object) -> bool:
        """Whether an action of the user holds (or waits for) the turn."""
        return user_id in self._turns

    def __len__(self) -> int:
        return len(self._turns)
