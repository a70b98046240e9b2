"""Holding a request in mid-flight, to test what a bot does when it dies at that moment.

``fake.hold("POST", "/channels/{channel_id}/messages", stage="after")`` makes the next matching
request wait: with ``stage="before"`` Discord has not acted on it yet; with ``stage="after"`` the
message exists but the response has not gone back. The test waits for ``hold.reached``, kills the bot
process, and calls ``hold.release(proceed=...)``: a "before" request released with ``proceed=False``
is answered with an error and changes nothing, as if it never reached Discord.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


class Dropped(Exception):
    """A held request that was released without being carried out."""


@dataclass
class Hold:
    method: str
    template: str
    stage: str  # "before" | "after"
    once: bool = True
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _proceed: bool = True
    used: bool = False

    def release(self, *, proceed: bool = True) -> None:
        self._proceed = proceed
        self._released.set()

    async def wait_reached(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.reached.wait(), timeout)


class Holds:
    def __init__(self) -> None:
        self._holds: list[Hold] = []

    def add(self, method: str, template: str, *, stage: str) -> Hold:
        if stage not in {"before", "after"}:
            raise ValueError("stage is 'before' or 'after'")
        hold = Hold(method.upper(), template, stage)
        self._holds.append(hold)
        return hold

    async def checkpoint(self, stage: str, method: str, template: str | None) -> None:
        """Called by the request pipeline; waits while a matching hold is in force."""
        for hold in self._holds:
            if hold.used or hold.stage != stage or hold.method != method or hold.template != template:
                continue
            hold.used = True
            hold.reached.set()
            await hold._released.wait()
            if not hold._proceed:
                raise Dropped(f"{method} {template} dropped by a test hold")
            return
