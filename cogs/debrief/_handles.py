"""Which step message each user was last shown through an interaction, and that interaction's token.

An interaction's follow-up webhook can send messages and edit the ones it sent for 15 minutes, and those
requests are exempt from Discord's global rate limit. So when a typed reply answers a step that a click
(or a command) sent, its buttons are taken off through that webhook and the next step is sent through it
too, as a follow-up: the typed reply costs no request under the global limit, however many people type
at once. The step sent that way is remembered with the same token and the same start, so a run of typed
answers goes on through one interaction until its token is nearly 15 minutes old. Kept in memory only (a
token is worth nothing after 15 minutes or a restart; then the send and the edit are ordinary REST
requests): one entry per user, expired entries swept as new ones come, so memory follows the users
active in the last 15 minutes.

A step sent through REST (no token left) has its buttons taken off by a counted REST edit, made after the
reply in the request pacer's background lane, as one of the cog's :class:`Chores`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)

#: Discord's follow-up window is 15 minutes; a margin for the request itself and clock differences.
TOKEN_LIFE = 14 * 60.0


def began(created_at: datetime) -> float:
    """When an interaction created at ``created_at`` began, on ``time.monotonic()``'s clock: its token's
    life counts from then, not from when the bot got round to sending (a click may wait its turn)."""
    return time.monotonic() - max(0.0, (datetime.now(UTC) - created_at).total_seconds())


@dataclass(frozen=True, slots=True)
class Shown:
    """A step message, the token of the interaction that sent it, and when that interaction began."""

    message_id: int
    token: str
    at: float


class StepHandles:
    def __init__(self, life: float = TOKEN_LIFE) -> None:
        self.life = life
        self._shown: dict[int, Shown] = {}
        self._sweep_at = 0.0

    def remember(self, user_id: int, message_id: int, token: str, at: float | None = None) -> None:
        """``message_id`` was sent (as a response or a follow-up) by the interaction with ``token``, which
        began at ``at`` (``time.monotonic()``; now if not given: the token's life counts from then)."""
        now = time.monotonic()
        self._shown[user_id] = Shown(message_id, token, now if at is None else at)
        if now >= self._sweep_at:  # at most once per life: the cost stays O(1) a call on average
            self._sweep_at = now + self.life
            self._shown = {user: shown for user, shown in self._shown.items() if now - shown.at < self.life}

    def take(self, user_id: int, message_id: int) -> str | None:
        """The token that can still edit ``message_id``, if the user's last step message was sent that way."""
        shown = self.take_shown(user_id, message_id)
        return shown.token if shown is not None else None

    def take_shown(self, user_id: int, message_id: int) -> Shown | None:
        """Like :meth:`take`, with the time its interaction began (to remember a step sent through it)."""
        shown = self._shown.get(user_id)
        if shown is None or shown.message_id != message_id:
            return None
        del self._shown[user_id]
        return shown if time.monotonic() - shown.at < self.life else None

    def __len__(self) -> int:
        return len(self._shown)


class Chores:
    """Small jobs that follow a reply (taking an old step's buttons off): each task kept until it ends,
    its failure logged, none left running when the cog unloads."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(job, name="debrief-chore")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a debrief chore failed", exc_info=task.exception())

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tasks)
