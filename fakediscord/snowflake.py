"""Discord-style snowflake ids and timestamps for the fake server."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """Format an aware datetime the way Discord does (ISO 8601 with offset)."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat()


class SnowflakeFactory:
    """Hands out strictly increasing snowflakes that encode the creation time."""

    def __init__(self, worker: int = 1, process: int = 0) -> None:
        self._worker = worker & 0x1F
        self._process = process & 0x1F
        self._counter = itertools.count()
        self._last = 0
        self._fixed: Iterator[int] | None = None

    @contextmanager
    def fixed(self, start: int) -> Generator[None, None, None]:
        """Inside the block, hand out ``start``, ``start + 1``, …: the same ids on every run.

        For a world that must look the same each time it is built (the sandbox keeps its database
        between runs, and the bot stores users by id).
        """
        saved, self._fixed = self._fixed, itertools.count(start)
        try:
            yield
        finally:
            self._fixed = saved

    def next(self) -> int:
        """Return a new snowflake, greater than every one returned before (or the next fixed id)."""
        if self._fixed is not None:
            return next(self._fixed)
        ms = int(utcnow().timestamp() * 1000) - DISCORD_EPOCH_MS
        increment = next(self._counter) & 0xFFF
        value = (ms << 22) | (self._worker << 17) | (self._process << 12) | increment
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value


def snowflake_time(snowflake: int) -> datetime:
    """The creation time encoded in a snowflake."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC)


def new_token(nbytes: int = 48) -> str:
    """An opaque token like the ones Discord gives interactions."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(nbytes)
