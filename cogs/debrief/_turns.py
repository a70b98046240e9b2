"""One debrief action at a time per user, in arrival order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CLICK_WAIT = 1.5  # seconds a click or form waits for the user's previous action (see Turns.turn)


@dataclass
class _Turn:
    """A user's debrief actions (clicks, forms, typed replies) waiting their turn."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class Turns:
    """Per-user locks that exist only while someone waits: memory does not grow with the users."""

    def __init__(self) -> None:
        self._turns: dict[int, _Turn] = {}

    @asynccontextmanager
    async def turn(self, user_id: int, wait: float | None = None) -> AsyncIterator[None]:
        """discord.py runs each DM and each click in its own task: without this, two quick DMs would race
        for the same step instead of answering two steps in order, and a reply typed right after a click
        could read the step message before the click recorded the new one. A click waits at most
        ``wait`` seconds (a typed reply may be held up by Discord's per-channel send limit, and an
        interaction must be answered within 3 s); after that it goes ahead, and the store's
        step check still keeps the answers right.
        """
        turn = self._turns.setdefault(user_id, _Turn())
        turn.waiting += 1
        acquired = False
        try:
            if wait is None:
                await turn.lock.acquire()
                acquired = True
            else:
                try:
                    await asyncio.wait_for(turn.lock.acquire(), wait)
                    acquired = True
                except TimeoutError:
                    log.info("debrief action of user %s went ahead without waiting its turn", user_id)
            yield
        finally:
            if acquired:
                turn.lock.release()
            turn.waiting -= 1
            if turn.waiting == 0:
                del self._turns[user_id]

    def __len__(self) -> int:
        return len(self._turns)
