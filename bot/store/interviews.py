"""Interviews and their outcomes. A user only ever reaches their own rows: every query names the user."""

from __future__ import annotations

from datetime import datetime

from bot.store.db import Database, Tx
from bot.store.models import Interview, to_ts


class Interviews:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        tx: Tx,
        *,
        user_id: int,
        company: str,
        stage: str,
        starts_at: datetime,
        now: datetime,
        role: str | None = None,
        length_min: int = 60,
        source: str = "command",
        guild_id: int | None = None,
        ical_uid: str | None = None,
    ) -> int:
        """Record an interview inside ``tx``; an earlier open round with the same company is linked."""
        previous = await tx.fetchone(
            "SELECT id FROM interviews WHERE user_id = ? AND LOWER(company) = LOWER(?) AND starts_at <= ? "
            "AND (outcome IS NULL OR outcome = 'advanced') ORDER BY starts_at DESC LIMIT 1",
            (user_id, company, to_ts(starts_at)),
        )
        return await tx.execute(
            "INSERT INTO interviews (user_id, company, role, stage, starts_at, length_min, source, guild_id, "
            "previous_id, created_at, ical_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                company,
                role,
                stage,
                to_ts(starts_at),
                length_min,
                source,
                guild_id,
                previous["id"] if previous else None,
                to_ts(now),
                ical_uid,
            ),
        )

    async def by_uid(self, user_id: int, ical_uid: str, tx: Tx | None = None) -> Interview | None:
        """The user's interview recorded from the calendar event ``ical_uid``, if any."""
        sql = "SELECT * FROM interviews WHERE user_id = ? AND ical_uid = ?"
        row = await (tx or self.db).fetchone(sql, (user_id, ical_uid))
        return Interview.from_row(row) if row else None

    async def same_logged_since(
        self, tx: Tx, *, user_id: int, company: str, stage: str, starts_at: datetime, since: datetime
    ) -> Interview | None:
        """The user's interview with this company (any case), stage and start, recorded at ``since`` or
        later: the first of a retried log. Reads the (user, start) index."""
        row = await tx.fetchone(
            "SELECT * FROM interviews WHERE user_id = ? AND starts_at = ? AND LOWER(company) = LOWER(?) "
            "AND stage = ? AND created_at >= ? ORDER BY id LIMIT 1",
            (user_id, to_ts(starts_at), company, stage, to_ts(since)),
        )
        return Interview.from_row(row) if row else None

    async def count_logged_since(self, tx: Tx, user_id: int, since: datetime) -> int:
        """How many interviews the user recorded at ``since`` or later (for the per-day cap)."""
        row = await tx.fetchone(
            "SELECT COUNT(*) FROM interviews WHERE user_id = ? AND created_at >= ?", (user_id, to_ts(since))
        )
        return int(row[0]) if row else 0

    async def previous_round(self, tx: Tx, interview_id: int) -> int | None:
        row = await tx.fetchone("SELECT previous_id FROM interviews WHERE id = ?", (interview_id,))
        return row["previous_id"] if row else None

    async def get(self, user_id: int, interview_id: int) -> Interview | None:
        """The interview, if it exists and belongs to ``user_id``."""
        row = await self.db.fetchone("SELECT * FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
        return Interview.from_row(row) if row else None

    async def list(self, user_id: int, limit: int = 25) -> list[Interview]:
        """The user's interviews, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM interviews WHERE user_id = ? ORDER BY starts_at DESC LIMIT ?", (user_id, limit)
        )
        return [Interview.from_row(row) for row in rows]

    async def history(self, user_id: int, limit: int = 2000) -> list[Interview]:
        """The user's interviews, oldest first, for the pattern engine (the ``interviews_user`` index)."""
        rows = await self.db.fetchall(
            "SELECT * FROM interviews WHERE user_id = ? ORDER BY starts_at, id LIMIT ?", (user_id, limit)
        )
        return [Interview.from_row(row) for row in rows]

    async def count_split(self, user_id: int, now: datetime) -> tuple[int, int]:
        """How many of the user's interviews start after ``now`` (upcoming) and how many don't (past)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM interviews WHERE user_id = ? AND starts_at > ?", (user_id, to_ts(now))
        )
        upcoming = int(row[0]) if row else 0
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM interviews WHERE user_id = ? AND starts_at <= ?", (user_id, to_ts(now))
        )
        return upcoming, int(row[0]) if row else 0

    async def upcoming(self, user_id: int, now: datetime, offset: int, limit: int) -> list[Interview]:
        """The user's interviews starting after ``now``, soonest first (a slice, for paging)."""
        rows = await self.db.fetchall(
            "SELECT * FROM interviews WHERE user_id = ? AND starts_at > ? ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (user_id, to_ts(now), limit, offset),
        )
        return [Interview.from_row(row) for row in rows]

    async def past(self, user_id: int, now: datetime, offset: int, limit: int) -> list[Interview]:
        """The user's interviews that started by ``now``, newest first (a slice, for paging)."""
        rows = await self.db.fetchall(
            "SELECT * FROM interviews WHERE user_id = ? AND starts_at <= ? "
            "ORDER BY starts_at DESC, id DESC LIMIT ? OFFSET ?",
            (user_id, to_ts(now), limit, offset),
        )
        return [Interview.from_row(row) for row in rows]

    async def search(self, user_id: int, text: str, limit: int = 25) -> list[Interview]:
        """For autocomplete: the user's interviews whose company or role contains ``text``."""
        pattern = f"%{text.strip()}%"
        rows = await self.db.fetchall(
            "SELECT * FROM interviews WHERE user_id = ? AND (LOWER(company) LIKE LOWER(?) "
            "OR LOWER(COALESCE(role, '')) LIKE LOWER(?)) "
            "ORDER BY starts_at DESC LIMIT ?",
            (user_id, pattern, pattern, limit),
        )
        return [Interview.from_row(row) for row in rows]

    async def rounds(self, user_id: int, interview_id: int) -> list[Interview]:
        """The chain of earlier rounds leading to this interview, oldest first, itself last."""
        rows = await self.db.fetchall(
            "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT i.previous_id FROM interviews i "
            "JOIN chain c ON i.id = c.id WHERE i.previous_id IS NOT NULL) "
            "SELECT i.* FROM interviews i JOIN chain c ON i.id = c.id WHERE i.user_id = ? ORDER BY i.starts_at",
            (interview_id, user_id),
        )
        return [Interview.from_row(row) for row in rows]

    async def update(
        self,
        tx: Tx,
        user_id: int,
        interview_id: int,
        *,
        company: str,
        role: str | None,
        stage: str,
        starts_at: datetime,
        length_min: int,
    ) -> bool:
        changed = await tx.execute(
            "UPDATE interviews SET company = ?, role = ?, stage = ?, starts_at = ?, length_min = ? "
            "WHERE id = ? AND user_id = ?",
            (company, role, stage, to_ts(starts_at), length_min, interview_id, user_id),
        )
        return changed > 0

    async def delete(self, tx: Tx, user_id: int, interview_id: int) -> bool:
        changed = await tx.execute("DELETE FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
        return changed > 0

    async def set_outcome(self, tx: Tx, user_id: int, interview_id: int, outcome: str, now: datetime) -> bool:
        changed = await tx.execute(
            "UPDATE interviews SET outcome = ?, outcome_at = ? WHERE id = ? AND user_id = ?",
            (outcome, to_ts(now), interview_id, user_id),
        )
        return changed > 0

    async def rejected_between(
        self, user_id: int, since: datetime, until: datetime, limit: int = 25, tx: Tx | None = None
    ) -> list[Interview]:
        """The user's interviews recorded as rejected between ``since`` and ``until`` (inclusive), in the order
        the rejections were recorded: a seek on the ``interviews_outcome`` index (user, outcome time)."""
        rows = await (tx or self.db).fetchall(
            "SELECT * FROM interviews WHERE user_id = ? AND outcome_at >= ? AND outcome_at <= ? "
            "AND outcome = 'rejected' ORDER BY outcome_at, id LIMIT ?",
            (user_id, to_ts(since), to_ts(until), limit),
        )
        return [Interview.from_row(row) for row in rows]

    async def mark_debriefed(self, tx: Tx, user_id: int, interview_id: int, now: datetime) -> None:
        await tx.execute(
            "UPDATE interviews SET debriefed_at = ? WHERE id = ? AND user_id = ?", (to_ts(now), interview_id, user_id)
        )

    async def open_opportunities(self, user_id: int) -> int:
        """Companies with an interview whose process is still open (no outcome yet, or advanced)."""
        row = await self.db.fetchone(
            "SELECT COUNT(DISTINCT LOWER(company)) FROM interviews i WHERE user_id = ? "
            "AND (outcome IS NULL OR outcome = 'advanced') AND NOT EXISTS (SELECT 1 FROM interviews later "
            "WHERE later.previous_id = i.id)",
            (user_id,),
        )
        return int(row[0]) if row else 0
