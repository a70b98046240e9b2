"""Plain records read from the store. Times are aware UTC datetimes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta


def to_ts(moment: datetime) -> int:
    """An aware datetime as whole seconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return int(moment.timestamp())


def from_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _clock(value: str | None) -> time | None:
    if value is None:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _span(seconds: int | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    timezone: str | None
    quiet_start: time | None
    quiet_end: time | None
    debrief_delay: timedelta | None
    reset_window: timedelta | None
    checkins: bool
    weekly_summary: bool
    share_cohort: bool
    pre_interview: bool
    dm_channel_id: int | None
    dms_closed_at: datetime | None
    zone_asked_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            id=row["id"],
            timezone=row["timezone"],
            quiet_start=_clock(row["quiet_start"]),
            quiet_end=_clock(row["quiet_end"]),
            debrief_delay=_span(row["debrief_delay_s"]),
            reset_window=_span(row["reset_window_s"]),
            checkins=bool(row["checkins"]),
            weekly_summary=bool(row["weekly_summary"]),
            share_cohort=bool(row["share_cohort"]),
            pre_interview=bool(row["pre_interview"]),
            dm_channel_id=row["dm_channel_id"],
            dms_closed_at=from_ts(row["dms_closed_at"]),
            zone_asked_at=from_ts(row["zone_asked_at"]),
            created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    user_id: int
    company: str
    role: str | None
    stage: str
    starts_at: datetime
    length_min: int
    source: str
    guild_id: int | None
    previous_id: int | None
    outcome: str | None
    outcome_at: datetime | None
    debriefed_at: datetime | None
    created_at: datetime

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length_min)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Interview:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            company=row["company"],
            role=row["role"],
            stage=row["stage"],
            starts_at=from_ts(row["starts_at"]),  # type: ignore[arg-type]
            length_min=row["length_min"],
            source=row["source"],
            guild_id=row["guild_id"],
            previous_id=row["previous_id"],
            outcome=row["outcome"],
            outcome_at=from_ts(row["outcome_at"]),
            debriefed_at=from_ts(row["debriefed_at"]),
            created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Prompt:
    id: int
    kind: str
    subject_id: int
    user_id: int
    due_at: datetime
    state: str
    attempts: int
    claimed_at: datetime | None
    sent_at: datetime | None
    message_id: int | None
    last_error: str | None
    snoozes: int
    late_since: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Prompt:
        return cls(
            id=row["id"],
            kind=row["kind"],
            subject_id=row["subject_id"],
            user_id=row["user_id"],
            due_at=from_ts(row["due_at"]),  # type: ignore[arg-type]
            state=row["state"],
            attempts=row["attempts"],
            claimed_at=from_ts(row["claimed_at"]),
            sent_at=from_ts(row["sent_at"]),
            message_id=row["message_id"],
            last_error=row["last_error"],
            snoozes=row["snoozes"],
            late_since=from_ts(row["late_since"]),
            created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Guild:
    id: int
    notice_channel_id: int | None
    summary_channel_id: int | None
    summary_time: str | None
    timezone: str | None
    enabled: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Guild:
        return cls(
            id=row["id"],
            notice_channel_id=row["notice_channel_id"],
            summary_channel_id=row["summary_channel_id"],
            summary_time=row["summary_time"],
            timezone=row["timezone"],
            enabled=bool(row["enabled"]),
        )
