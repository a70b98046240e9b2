"""Drafts: interviews read from a message (or waiting for a time zone) that the user hasn't confirmed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.store.db import Database, Tx
from bot.store.models import from_ts, to_ts


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    user_id: int
    company: str | None
    role: str | None
    stage: str | None
    when_text: str | None
    starts_at: datetime | None
    length_min: int | None
    source: str
    guild_id: int | None
    created_at: datetime
    ical_uid: str | None = None  # the calendar event's UID, for a draft read from an invite

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Draft:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            company=row["company"],
            role=row["role"],
            stage=row["stage"],
            when_text=row["when_text"],
            starts_at=from_ts(row["starts_at"]),
            length_min=row["length_min"],
            source=row["source"],
            guild_id=row["guild_id"],
            created_at=from_ts(row["created_at"]),
            ical_uid=row["ical_uid"],
        )


class Drafts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        *,
        user_id: int,
        source: str,
        now: datetime,
        company: str | None = None,
        role: str | None = None,
        stage: str | None = None,
        when_text: str | None = None,
        starts_at: datetime | None = None,
        length_min: int | None = None,
        guild_id: int | None = None,
        ical_uid: str | None = None,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO drafts (user_id, company, role, stage, when_text, starts_at, length_min, source, guild_id, "
            "created_at, ical_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                company,
                role,
                stage,
                when_text,
                to_ts(starts_at) if starts_at else None,
                length_min,
                source,
                guild_id,
                to_ts(now),
                ical_uid,
            ),
        )

    async def get(self, user_id: int, draft_id: int) -> Draft | None:
        row = await self.db.fetchone("SELECT * FROM drafts WHERE id = ? AND user_id = ?", (draft_id, user_id))
        return Draft.from_row(row) if row else None

    async def update(self, user_id: int, draft_id: int, *, company: str, stage: str, starts_at: datetime) -> None:
        await self.db.execute(
            "UPDATE drafts SET company = ?, stage = ?, starts_at = ? WHERE id = ? AND user_id = ?",
            (company, stage, to_ts(starts_at), draft_id, user_id),
        )

    async def take(self, tx: Tx, user_id: int, draft_id: int) -> bool:
        """Remove the draft inside ``tx``; False if it was already taken (a double click, a second tab)."""
        return await tx.execute("DELETE FROM drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)) > 0

    async def delete(self, user_id: int, draft_id: int) -> bool:
        return await self.db.execute("DELETE FROM drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)) > 0
