"""Shared fixtures for the coach tests: fixed clocks and zones (the coach never reads the clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")

# Tuesday 24 November 2026, 13:00 in Berlin.
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    """An aware datetime in ``tz``, converted to UTC."""
    return datetime(*args, tzinfo=tz, fold=fold).astimezone(UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def berlin() -> ZoneInfo:
    return BERLIN
