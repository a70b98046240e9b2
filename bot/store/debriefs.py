"""Debriefs, their answers, and the focus a finished debrief leaves behind.

A debrief belongs to one interview and one user. Its ``step`` is the step the user is on; every answer
is its own row, written the moment it is given, so an interrupted debrief loses nothing. States:

* ``open``  -- in progress; at most one per user (a partial unique index says so);
* ``aside`` -- set aside to start another one, every answer kept, resumable;
* ``done``  -- finished; ``summary`` holds the card as JSON.

Every query names the user: a user only ever reaches their own debriefs. Reads take an optional
``tx`` so the service can use them inside a transaction (where the database's own methods would
deadlock).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.db import Conflict, Database, Tx
from bot.store.models import Interview, from_ts, to_ts

STATES = ("open", "aside", "done")


@dataclass(frozen=True, slots=True)
class Debrief:
    id: int
    interview_id: int
    user_id: int
    step: str
    state: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    message_id: int | None
    summary: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Debrief:
        return cls(
            id=row["id"],
            interview_id=row["interview_id"],
            user_id=row["user_id"],
            step=row["step"],
            state=row["state"],
            started_at=from_ts(row["started_at"]),  # type: ignore[arg-type]
            updated_at=from_ts(row["updated_at"]),  # type: ignore[arg-type]
            finished_at=from_ts(row["finished_at"]),
            message_id=row["message_id"],
            summary=json.loads(row["summary"]) if row["summary"] else None,
        )


@dataclass(frozen=True, slots=True)
class Answer:
    step: str
    value: Any  # the step's stored form (see bot.coach.script); None when skipped
    skipped: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Focus:
    id: int
    user_id: int
    text: str
    interview_id: int | None
    state: str  # active | done | dropped (replaced by a newer focus, or its answer was cleared)
    created_at: datetime
    done_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Focus:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            text=row["text"],
            interview_id=row["interview_id"],
            state=row["state"],
            created_at=from_ts(row["created_at"]),  # type: ignore[arg-type]
            done_at=from_ts(row["done_at"]),
        )


class Debriefs:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _on(self, tx: Tx | None) -> Database | Tx:
        return tx if tx is not None else self.db

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, user_id: int, debrief_id: int, tx: Tx | None = None) -> Debrief | None:
        row = await self._on(tx).fetchone("SELECT * FROM debriefs WHERE id = ? AND user_id = ?", (debrief_id, user_id))
        return Debrief.from_row(row) if row else None

    async def for_interview(self, user_id: int, interview_id: int, tx: Tx | None = None) -> Debrief | None:
        row = await self._on(tx).fetchone(
            "SELECT * FROM debriefs WHERE interview_id = ? AND user_id = ?", (interview_id, user_id)
        )
        return Debrief.from_row(row) if row else None

    async def open_for(self, user_id: int, tx: Tx | None = None) -> Debrief | None:
        """The user's debrief in progress, if any (there is at most one)."""
        row = await self._on(tx).fetchone("SELECT * FROM debriefs WHERE user_id = ? AND state = 'open'", (user_id,))
        return Debrief.from_row(row) if row else None

    async def of_user(self, user_id: int, states: Iterable[str] = STATES, limit: int = 25) -> list[Debrief]:
        """The user's debriefs in ``states``, most recently touched first."""
        wanted = tuple(states)
        marks = ",".join("?" * len(wanted))
        rows = await self.db.fetchall(
            f"SELECT * FROM debriefs WHERE user_id = ? AND state IN ({marks}) "
            "ORDER BY updated_at DESC, id DESC LIMIT ?",
            (user_id, *wanted, limit),
        )
        return [Debrief.from_row(row) for row in rows]

    async def answers(self, debrief_id: int, tx: Tx | None = None) -> dict[str, Answer]:
        rows = await self._on(tx).fetchall(
            "SELECT step, value, skipped, updated_at FROM answers WHERE debrief_id = ?", (debrief_id,)
        )
        return {
            row["step"]: Answer(
                step=row["step"],
                value=json.loads(row["value"]),
                skipped=bool(row["skipped"]),
                updated_at=from_ts(row["updated_at"]),  # type: ignore[arg-type]
            )
            for row in rows
        }

    async def finished_answers(self, user_id: int, limit: int = 2000) -> list[tuple[int, datetime, dict[str, Any]]]:
        """(interview id, finished at, step -> answer) of the user's finished debriefs, oldest first.

        Skipped steps are left out. One statement: the ``debriefs_user`` index, then each debrief's
        answers by their primary key."""
        rows = await self.db.fetchall(
            "SELECT d.id, d.interview_id, d.finished_at, a.step, a.value FROM debriefs d "
            "JOIN answers a ON a.debrief_id = d.id WHERE d.user_id = ? AND d.state = 'done' AND a.skipped = 0 "
            "ORDER BY d.finished_at, d.id",
            (user_id,),
        )
        out: dict[int, tuple[int, datetime, dict[str, Any]]] = {}
        for row in rows:
            if row["id"] not in out:
                if len(out) == limit:
                    continue
                out[row["id"]] = (row["interview_id"], from_ts(row["finished_at"]), {})  # type: ignore[assignment]
            out[row["id"]][2][row["step"]] = json.loads(row["value"])
        return list(out.values())

    async def patterns_mark(self, user_id: int) -> tuple[Any, ...]:
        """A cheap mark of what the pattern engine reads for a user: it changes when a debrief is answered,
        finished or edited, an interview is logged, deleted or gets an outcome, or feedback is added,
        removed or re-marked. (An interview's company or stage edited in place does not change it.)
        Index-backed counts and maxima, one statement."""
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM debriefs WHERE user_id = ?) AS debriefs, "
            "(SELECT MAX(updated_at) FROM debriefs WHERE user_id = ?) AS debriefs_at, "
            "(SELECT COUNT(*) FROM interviews WHERE user_id = ?) AS interviews, "
            "(SELECT MAX(id) FROM interviews WHERE user_id = ?) AS interviews_last, "
            "(SELECT COUNT(*) FROM interviews WHERE user_id = ? AND outcome_at IS NOT NULL) AS outcomes, "
            "(SELECT MAX(outcome_at) FROM interviews WHERE user_id = ? AND outcome_at IS NOT NULL) AS outcome_at, "
            "(SELECT COUNT(*) FROM feedback WHERE user_id = ?) AS feedback, "
            "(SELECT MAX(id) FROM feedback WHERE user_id = ?) AS feedback_last, "
            "(SELECT COALESCE(SUM(CASE control WHEN 'within_control' THEN 1 WHEN 'outside_control' THEN 1000 "
            "WHEN 'unsure' THEN 1000000 ELSE 0 END), 0) FROM feedback WHERE user_id = ?) AS controls",
            (user_id,) * 9,
        )
        return tuple(row) if row is not None else ()

    async def to_debrief(self, user_id: int, now: datetime, limit: int = 25) -> list[Interview]:
        """The user's interviews that have started and have no finished debrief, newest first."""
        rows = await self.db.fetchall(
            "SELECT i.* FROM interviews i LEFT JOIN debriefs d ON d.interview_id = i.id "
            "WHERE i.user_id = ? AND i.starts_at <= ? AND i.debriefed_at IS NULL "
            "AND (d.id IS NULL OR d.state != 'done') ORDER BY i.starts_at DESC LIMIT ?",
            (user_id, to_ts(now), limit),
        )
        return [Interview.from_row(row) for row in rows]

    # -- writes (inside a transaction) ------------------------------------------------------------

    async def create(self, tx: Tx, *, user_id: int, interview_id: int, step: str, now: datetime) -> int:
        """A new open debrief; :class:`Conflict` if the user already has one open (or this interview has one)."""
        try:
            return await tx.execute(
                "INSERT INTO debriefs (interview_id, user_id, step, state, started_at, updated_at) "
                "VALUES (?, ?, ?, 'open', ?, ?)",
                (interview_id, user_id, step, to_ts(now), to_ts(now)),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(str(exc)) from exc

    async def set_state(
        self, tx: Tx, user_id: int, debrief_id: int, *, from_state: str, to_state: str, now: datetime
    ) -> bool:
        """Move between states (open <-> aside) only from ``from_state``; True if it moved."""
        changed = await tx.execute(
            "UPDATE debriefs SET state = ?, updated_at = ? WHERE id = ? AND user_id = ? AND state = ?",
            (to_state, to_ts(now), debrief_id, user_id, from_state),
        )
        return changed > 0

    async def move(self, tx: Tx, user_id: int, debrief_id: int, *, from_step: str, to_step: str, now: datetime) -> bool:
        """Go from step to step, only if the open debrief is still on ``from_step``."""
        changed = await tx.execute(
            "UPDATE debriefs SET step = ?, updated_at = ? WHERE id = ? AND user_id = ? AND state = 'open' AND step = ?",
            (to_step, to_ts(now), debrief_id, user_id, from_step),
        )
        return changed > 0

    async def save_answer(
        self, tx: Tx, debrief_id: int, step: str, value: Any, *, skipped: bool, now: datetime
    ) -> None:
        """Write (or overwrite) the answer to ``step``. A skip stores ``null``."""
        await tx.execute(
            "INSERT INTO answers (debrief_id, step, value, skipped, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(debrief_id, step) DO UPDATE SET value = excluded.value, skipped = excluded.skipped, "
            "updated_at = excluded.updated_at",
            (debrief_id, step, json.dumps(None if skipped else value, ensure_ascii=False), int(skipped), to_ts(now)),
        )
        # The stored reading of the answers is stale now: the service writes it again (set_keys), and until
        # then a reader takes the answers themselves.
        await tx.execute(
            "UPDATE debriefs SET updated_at = ?, stumble_keys = NULL, topic_keys = NULL WHERE id = ?",
            (to_ts(now), debrief_id),
        )

    async def set_keys(self, tx: Tx, debrief_id: int, stumbles: Iterable[str], topics: Iterable[str]) -> None:
        """Store the pattern engine's reading of a debrief's answers: the keys it notes a stumble on and
        the topics it covered (see migration 0011)."""
        await tx.execute(
            "UPDATE debriefs SET stumble_keys = ?, topic_keys = ? WHERE id = ?",
            (" ".join(sorted(stumbles)), " ".join(topics), debrief_id),
        )

    async def clear_keys(self, after_id: int, limit: int) -> int | None:
        """Forget the stored readings of up to ``limit`` debriefs with ids after ``after_id`` (a new version
        of the reading is coming); the last id it looked at, None past the end. Walks the key, no scan."""
        ids = await self.db.fetchall("SELECT id FROM debriefs WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))
        if not ids:
            return None
        last = ids[-1][0]
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE debriefs SET stumble_keys = NULL, topic_keys = NULL WHERE id > ? AND id <= ?",
                (after_id, last),
            )
        return last

    async def unkeyed(self, after_id: int, limit: int, tx: Tx | None = None) -> list[tuple[int, dict[str, Any]]]:
        """Finished debriefs whose reading is not stored (rows written before migration 0011, or a writer
        that left it out), ids after ``after_id``, oldest id first: (debrief id, step -> answer), skipped
        steps left out. One page of the start-up pass that fills them."""
        ids = await self._on(tx).fetchall(
            "SELECT id FROM debriefs WHERE id > ? AND state = 'done' AND stumble_keys IS NULL ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        if not ids:
            return []
        first, last = ids[0][0], ids[-1][0]
        rows = await self._on(tx).fetchall(
            "SELECT d.id, a.step, a.value FROM debriefs d LEFT JOIN answers a ON a.debrief_id = d.id "
            "AND a.skipped = 0 WHERE d.id >= ? AND d.id <= ? AND d.state = 'done' AND d.stumble_keys IS NULL "
            "ORDER BY d.id",
            (first, last),
        )
        out: dict[int, dict[str, Any]] = {}
        for debrief_id, step, value in rows:
            answers = out.setdefault(debrief_id, {})
            if step is not None:
                try:
                    answers[step] = json.loads(value)
                except (TypeError, ValueError):
                    continue  # a damaged value reads as skipped
        return list(out.items())

    async def fill_keys(self, tx: Tx, keys: Iterable[tuple[int, Iterable[str], Iterable[str]]]) -> None:
        """``set_keys`` for many debriefs at once, each only if its reading is still missing (an answer
        written since it was read has stored its own reading, or left it missing for the next pass)."""
        rows = [(" ".join(sorted(s)), " ".join(t), debrief_id) for debrief_id, s, t in keys]
        await tx.executemany(
            "UPDATE debriefs SET stumble_keys = ?, topic_keys = ? WHERE id = ? AND stumble_keys IS NULL", rows
        )

    async def finish(self, tx: Tx, user_id: int, debrief_id: int, summary: dict[str, Any], now: datetime) -> bool:
        """Open -> done, with its summary card; False if it was not open."""
        changed = await tx.execute(
            "UPDATE debriefs SET state = 'done', finished_at = ?, updated_at = ?, summary = ? "
            "WHERE id = ? AND user_id = ? AND state = 'open'",
            (to_ts(now), to_ts(now), json.dumps(summary, ensure_ascii=False), debrief_id, user_id),
        )
        return changed > 0

    async def set_summary(self, tx: Tx, user_id: int, debrief_id: int, summary: dict[str, Any], now: datetime) -> None:
        await tx.execute(
            "UPDATE debriefs SET summary = ?, updated_at = ? WHERE id = ? AND user_id = ?",
            (json.dumps(summary, ensure_ascii=False), to_ts(now), debrief_id, user_id),
        )

    async def touch(self, user_id: int, debrief_id: int, now: datetime) -> None:
        """Mark the debrief as just used (shown again), without changing its step or answers."""
        await self.db.execute(
            "UPDATE debriefs SET updated_at = ? WHERE id = ? AND user_id = ?", (to_ts(now), debrief_id, user_id)
        )

    async def set_message(self, user_id: int, debrief_id: int, message_id: int | None) -> None:
        """Remember the DM that shows the current step."""
        await self.db.execute(
            "UPDATE debriefs SET message_id = ? WHERE id = ? AND user_id = ?", (message_id, debrief_id, user_id)
        )

    # -- focus ------------------------------------------------------------------------------------

    async def active_focus(self, user_id: int, tx: Tx | None = None) -> Focus | None:
        row = await self._on(tx).fetchone(
            "SELECT * FROM focus WHERE user_id = ? AND state = 'active' ORDER BY created_at DESC, id DESC LIMIT 1",
            (user_id,),
        )
        return Focus.from_row(row) if row else None

    async def active_focuses(self, user_id: int, tx: Tx | None = None, limit: int = 5) -> list[Focus]:
        """The user's active focuses, oldest first (the ``focus_active`` partial index)."""
        rows = await self._on(tx).fetchall(
            "SELECT * FROM focus WHERE user_id = ? AND state = 'active' ORDER BY created_at, id LIMIT ?",
            (user_id, limit),
        )
        return [Focus.from_row(row) for row in rows]

    async def add_focus(self, tx: Tx, user_id: int, text: str, interview_id: int | None, now: datetime) -> int:
        """One more active focus, keeping the others (the service bounds how many)."""
        return await tx.execute(
            "INSERT INTO focus (user_id, text, interview_id, state, created_at) VALUES (?, ?, ?, 'active', ?)",
            (user_id, text, interview_id, to_ts(now)),
        )

    async def finish_focus(self, user_id: int, focus_id: int, now: datetime) -> bool:
        """Active -> done; False if it is not the user's active focus."""
        changed = await self.db.execute(
            "UPDATE focus SET state = 'done', done_at = ? WHERE id = ? AND user_id = ? AND state = 'active'",
            (to_ts(now), focus_id, user_id),
        )
        return changed > 0

    async def set_focus(self, tx: Tx, user_id: int, text: str, interview_id: int | None, now: datetime) -> int:
        """Make ``text`` the user's active focus; an earlier active one is marked ``dropped``."""
        await tx.execute(
            "UPDATE focus SET state = 'dropped', done_at = ? WHERE user_id = ? AND state = 'active'",
            (to_ts(now), user_id),
        )
        return await tx.execute(
            "INSERT INTO focus (user_id, text, interview_id, state, created_at) VALUES (?, ?, ?, 'active', ?)",
            (user_id, text, interview_id, to_ts(now)),
        )

    async def update_focus(self, tx: Tx, user_id: int, interview_id: int, text: str | None, now: datetime) -> bool:
        """Change (or, with ``None``, drop) the active focus that came from this interview's debrief."""
        if text is None:
            changed = await tx.execute(
                "UPDATE focus SET state = 'dropped', done_at = ? WHERE user_id = ? AND interview_id = ? "
                "AND state = 'active'",
                (to_ts(now), user_id, interview_id),
            )
        else:
            changed = await tx.execute(
                "UPDATE focus SET text = ? WHERE user_id = ? AND interview_id = ? AND state = 'active'",
                (text, user_id, interview_id),
            )
        return changed > 0
