"""The bot's one source of "now": aware UTC, and adjustable in tests and the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time plus an offset. ``advance`` moves it forward and tells listeners."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
        for listener in list(self._listeners):
            listener()

    def set(self, moment: datetime) -> None:
        """Make "now" be ``moment`` (tests and the sandbox); time runs on from there."""
        self.advance(moment - self.now())

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)
