"""Feedback a company sent back, applications sent, and the next step chosen after a rejection.

Every query names the user: nobody reaches another user's rows, even with a guessed id.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.store.db import Database, Tx
from bot.store.models import from_ts, to_ts

#: Whether a piece of feedback points at something the user can work on (bot.coach.feedback.CONTROL_CHOICES).
CONTROLS = ("within_control", "outside_control", "unsure")


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    interview_id: int
    user_id: int
    text: str
    control: str | None
    created_at: datetime
    company: str  # of the interview, for replies

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Feedback:
        return cls(
            id=row["id"],
            interview_id=row["interview_id"],
            user_id=row["user_id"],
            text=row["text"],
            control=row["control"],
            created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
            company=row["company"],
        )


async def _insert_if_owned(tx: Tx, user_id: int, interview_id: int, sql: str, params: tuple) -> int | None:
    owned = await tx.fetchone("SELECT 1 FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
    return None if owned is None else await tx.execute(sql, params)


_SELECT = "SELECT f.*, i.company AS company FROM feedback f JOIN interviews i ON i.id = f.interview_id"


class FeedbackRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, *, user_id: int, interview_id: int, text: str, now: datetime) -> int | None:
        """Record feedback for the user's own interview; None if the interview isn't theirs."""
        async with self.db.transaction() as tx:
            return await _insert_if_owned(
                tx,
                user_id,
                interview_id,
                "INSERT INTO feedback (interview_id, user_id, text, created_at) VALUES (?, ?, ?, ?)",
                (interview_id, user_id, text, to_ts(now)),
            )

    async def get(self, user_id: int, feedback_id: int) -> Feedback | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE f.id = ? AND f.user_id = ?", (feedback_id, user_id))
        return Feedback.from_row(row) if row else None

    async def set_control(self, user_id: int, feedback_id: int, control: str) -> bool:
        if control not in CONTROLS:
            raise ValueError(f"unknown control choice {control}")
        changed = await self.db.execute(
            "UPDATE feedback SET control = ? WHERE id = ? AND user_id = ?", (control, feedback_id, user_id)
        )
        return changed > 0

    async def for_interview(self, user_id: int, interview_id: int) -> list[Feedback]:
        """Feedback on one interview, oldest first."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE f.user_id = ? AND f.interview_id = ? ORDER BY f.created_at, f.id", (user_id, interview_id)
        )
        return [Feedback.from_row(row) for row in rows]

    async def for_user(self, user_id: int, limit: int = 500) -> list[Feedback]:
        """The user's feedback, newest first."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE f.user_id = ? ORDER BY f.created_at DESC, f.id DESC LIMIT ?", (user_id, limit)
        )
        return [Feedback.from_row(row) for row in rows]


class Applications:
    """How many applications the user sent, logged as they go."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, user_id: int, count: int, now: datetime) -> int:
        return await self.db.execute(
            "INSERT INTO applications (user_id, count, logged_at) VALUES (?, ?, ?)", (user_id, count, to_ts(now))
        )

    async def history(self, user_id: int, limit: int = 5000) -> list[tuple[int, datetime]]:
        """(count, logged at) of every batch the user logged, oldest first."""
        rows = await self.db.fetchall(
            "SELECT count, logged_at FROM applications WHERE user_id = ? ORDER BY logged_at LIMIT ?", (user_id, limit)
        )
        return [(row["count"], from_ts(row["logged_at"])) for row in rows]  # type: ignore[misc]

    async def remove(self, user_id: int, entry_id: int) -> bool:
        """Take back one logged entry (an undo); False if it isn't the user's or is already gone."""
        changed = await self.db.execute("DELETE FROM applications WHERE id = ? AND user_id = ?", (entry_id, user_id))
        return changed > 0

    async def total(self, user_id: int, since: datetime, until: datetime | None = None) -> int:
        """Applications logged in ``[since, until)``."""
        if until is None:
            row = await self.db.fetchone(
                "SELECT COALESCE(SUM(count), 0) FROM applications WHERE user_id = ? AND logged_at >= ?",
                (user_id, to_ts(since)),
            )
        else:
            row = await self.db.fetchone(
                "SELECT COALESCE(SUM(count), 0) FROM applications "
                "WHERE user_id = ? AND logged_at >= ? AND logged_at < ?",
                (user_id, to_ts(since), to_ts(until)),
            )
        return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class NextStep:
    id: int
    user_id: int
    interview_id: int | None
    action: str
    chosen_at: datetime


class NextSteps:
    """The next step a user picked in a check-in after a rejection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, *, user_id: int, interview_id: int, action: str, now: datetime) -> int | None:
        """Record the choice for the user's own interview; None if the interview isn't theirs."""
        async with self.db.transaction() as tx:
            return await _insert_if_owned(
                tx,
                user_id,
                interview_id,
                "INSERT INTO next_steps (user_id, interview_id, action, chosen_at) VALUES (?, ?, ?, ?)",
                (user_id, interview_id, action, to_ts(now)),
            )

    async def for_user(self, user_id: int, limit: int = 50) -> list[NextStep]:
        """Newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM next_steps WHERE user_id = ? ORDER BY chosen_at DESC, id DESC LIMIT ?", (user_id, limit)
        )
        return [
            NextStep(row["id"], row["user_id"], row["interview_id"], row["action"], from_ts(row["chosen_at"]))  # type: ignore[arg-type]
            for row in rows
        ]
