"""Small helpers for turning local wall-clock times into UTC instants.

Two awkward cases are handled explicitly:

- *Gap* (spring forward): a wall time such as 02:30 that the clock skips.
  :func:`is_nonexistent` detects it; :func:`resolve_local` maps it to the
  instant the clock jumps (the first moment the wall clock reads a time at
  or after the requested one).
- *Fold* (fall back): a wall time that happens twice. ``fold=0`` -- the
  first occurrence -- is used unless a caller asks otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "gap_shifted",
    "is_ambiguous",
    "is_nonexistent",
    "local_now",
    "require_aware",
    "resolve_local",
]


def _require_naive(naive: datetime) -> None:
    if naive.tzinfo is not None:
        raise ValueError("expected a naive local wall-clock datetime")


def is_nonexistent(naive: datetime, tz: ZoneInfo) -> bool:
    """Return True if the wall-clock time ``naive`` never happens in ``tz`` (a DST gap)."""
    _require_naive(naive)
    aware = naive.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    """Return True if the wall-clock time ``naive`` happens twice in ``tz`` (a DST fold)."""
    _require_naive(naive)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset() and not is_nonexistent(naive, tz)


def gap_shifted(naive: datetime, tz: ZoneInfo) -> datetime:
    """For a wall time in a gap, the wall time it lands on when read with the old offset.

    For example Europe/London 2026-03-29 01:30 becomes 02:30. Used to suggest
    an alternative in error messages. Returns ``naive`` unchanged outside gaps.
    """
    _require_naive(naive)
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)


def _transition_between(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime:
    """Binary-search the UTC instant in ``(lo, hi]`` where ``tz``'s offset changes."""
    lo_offset = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid <= lo:
            break
        if mid.astimezone(tz).utcoffset() == lo_offset:
            lo = mid
        else:
            hi = mid
    return hi


def resolve_local(naive: datetime, tz: ZoneInfo, *, fold: int = 0) -> datetime:
    """Turn a local wall-clock time into an aware UTC datetime.

    Ambiguous (fold) times use ``fold`` (0 = first occurrence). A time inside a
    DST gap resolves to the instant of the jump, which is the first moment the
    local clock shows a time at or after ``naive``.
    """
    _require_naive(naive)
    if not is_nonexistent(naive, tz):
        return naive.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    before = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    after = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(before, after), max(before, after)
    return _transition_between(lo, hi, tz)


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    """``now`` (aware) as a naive local wall-clock datetime in ``tz``."""
    require_aware(now, "now")
    return now.astimezone(tz).replace(tzinfo=None)


def require_aware(dt: datetime, name: str = "datetime") -> None:
    """Raise ``ValueError`` if ``dt`` is naive: the coach only accepts aware datetimes."""
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise ValueError(f"{name} must be timezone-aware (got a naive datetime)")
