"""Weekly summaries' rows: the per-week run keys, summary channels, cohort members, and the reads.

Reads hand back plain rows and tuples; the service turns them into the pattern engine's facts. Every
read is bounded by a user (or a channel's members) and an index; paging is by id, so a sweep over all
users holds one page at a time.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from bot.store.db import Database, Tx
from bot.store.models import from_ts, to_ts


@dataclass(frozen=True, slots=True)
class SummaryChannel:
    channel_id: int
    guild_id: int
    summary_time: str | None
    timezone: str | None
    last_error: str | None
    last_error_at: datetime | None
    last_posted_at: datetime | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> SummaryChannel:
        return cls(
            channel_id=row["channel_id"],
            guild_id=row["guild_id"],
            summary_time=row["summary_time"],
            timezone=row["timezone"],
            last_error=row["last_error"],
            last_error_at=from_ts(row["last_error_at"]),
            last_posted_at=from_ts(row["last_posted_at"]),
        )


#: One interview as a weekly summary reads it: (id, company, stage, starts at in epoch seconds, outcome,
#: previous interview id).
InterviewRow = tuple[int, str, str, int, str | None, int | None]

#: The answers a weekly summary reads of a debrief whose reading is not stored yet (its stumbles' topics and
#: the interview's topics).
SUMMARY_STEPS = ("stumbles", "prep_gaps", "questions", "showed_interest", "topics")


@dataclass(frozen=True, slots=True)
class UserWeekRows:
    """One user's rows up to a moment: what the engine needs for a weekly summary. Times stay epoch seconds
    (the summary compares them, and dates only the few it shows)."""

    interviews: list[InterviewRow]  # held before the end, by start then id
    outcomes_at: dict[int, int]  # interview id -> outcome recorded at
    #: (finished at, stumble keys) of finished debriefs, in no order; the keys are None when the debrief's
    #: reading is not stored, and its answers (step -> value) are in ``unread``.
    debriefs: list[tuple[int, frozenset[str] | None]]
    topics: list[tuple[str, ...]]  # the topics each of those covered (empty where not stored)
    unread: dict[int, dict[str, Any]]  # index in ``debriefs`` -> its answers, for those without keys
    feedback: int  # added in the window
    applied: int  # applications logged before the end
    applied_recent: int  # of those, after ``recent``
    applied_week: int  # of those, in the window
    batches: int  # batches logged before the end
    focus: tuple[str, datetime] | None  # the active focus: (text, since)


#: A debrief's unskipped answers as one JSON array of {"s": step, "v": value} (SQL text, per engine).
_ANSWERS_JSON = {
    "sqlite": "(SELECT json_group_array(json_object('s', a.step, 'v', a.value)) FROM answers a "
    "WHERE a.debrief_id = d.id AND a.skipped = 0)",
    "postgresql": "(SELECT json_agg(json_build_object('s', a.step, 'v', a.value)) FROM answers a "
    "WHERE a.debrief_id = d.id AND a.skipped = 0)",
}


def _answers(blob: str | None) -> dict[str, Any]:
    """``step=json`` pairs joined by the query; a damaged value reads as skipped."""
    out: dict[str, Any] = {}
    if not blob:
        return out
    for item in json.loads(blob):
        try:
            out[item["s"]] = json.loads(item["v"])
        except (TypeError, ValueError, KeyError):
            continue
    return out


# Anything in the window at all? Index probes only (the same ones the summary's own counts reduce to): an
# interview held, a debrief finished, an outcome recorded, feedback or applications added. Not correlated,
# so SQLite evaluates it once per branch below, and a user with an empty week costs these probes, not a year.
_ACTIVE = (
    "(EXISTS (SELECT 1 FROM interviews WHERE user_id = :u AND starts_at >= :s AND starts_at < :e) "
    "OR EXISTS (SELECT 1 FROM debriefs WHERE user_id = :u AND state = 'done' AND finished_at >= :s "
    "AND finished_at < :e) "
    "OR EXISTS (SELECT 1 FROM feedback WHERE user_id = :u AND created_at >= :s AND created_at < :e) "
    "OR EXISTS (SELECT 1 FROM applications WHERE user_id = :u AND logged_at >= :s AND logged_at < :e) "
    "OR EXISTS (SELECT 1 FROM interviews WHERE user_id = :u AND starts_at < :e AND outcome IS NOT NULL "
    "AND outcome_at >= :s AND outcome_at < :e))"
)

# The whole read of one user's week in ONE statement, and nothing at all when the window is empty. Every row is
# (kind, sort time, six values); columns keep one type down each branch (PostgreSQL requires it): a, b and f
# integers, c, d and e text. No answer is read for a debrief whose reading is stored (migration 0011), and
# the applications come as their sums.
_WEEK_SQL = (
    "SELECT 0, starts_at, id, previous_id, company, stage, outcome, outcome_at FROM interviews "
    f"WHERE user_id = :u AND starts_at < :e AND {_ACTIVE} "
    "UNION ALL "
    "SELECT 1, finished_at, id, NULL, stumble_keys, topic_keys, NULL, NULL FROM debriefs "
    f"WHERE user_id = :u AND state = 'done' AND finished_at < :e AND {_ACTIVE} "
    "UNION ALL "
    "SELECT 2, d.finished_at, d.id, NULL, a.step, a.value, NULL, NULL FROM debriefs d "
    "JOIN answers a ON a.debrief_id = d.id AND a.skipped = 0 AND a.step IN "
    f"({', '.join(repr(step) for step in SUMMARY_STEPS)}) "
    "WHERE d.user_id = :u AND d.state = 'done' AND d.finished_at < :e AND d.stumble_keys IS NULL "
    f"AND {_ACTIVE} "
    "UNION ALL "
    "SELECT 3, COUNT(*), CAST(SUM(count) AS BIGINT), CAST(SUM(CASE WHEN logged_at > :r THEN count ELSE 0 END) "
    "AS BIGINT), NULL, NULL, NULL, CAST(SUM(CASE WHEN logged_at >= :s THEN count ELSE 0 END) AS BIGINT) "
    "FROM applications "
    f"WHERE user_id = :u AND logged_at < :e AND {_ACTIVE} HAVING COUNT(*) > 0 "
    "UNION ALL "
    "SELECT 4, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL FROM feedback "
    "WHERE user_id = :u AND created_at >= :s AND created_at < :e HAVING COUNT(*) > 0 "
    "UNION ALL "
    # (A derived table's bare NULLs would be text on PostgreSQL: the integer columns say so.)
    "SELECT * FROM (SELECT 5, created_at, CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), text, NULL, NULL, "
    "CAST(NULL AS INTEGER) FROM focus "
    f"WHERE user_id = :u AND state = 'active' AND {_ACTIVE} ORDER BY id DESC LIMIT 1) AS active_focus"
)

#: A stored reading ("coding nerves") as a set; the same few sets come back again and again.
_keys_of = lru_cache(maxsize=4096)(lambda text: frozenset(text.split()))
_topics_of = lru_cache(maxsize=4096)(lambda text: tuple(text.split()))


def _week_rows(rows: list[Any]) -> UserWeekRows | None:
    """Split the one statement's rows by kind, in whatever order they come (the statement does not sort
    them: the interviews are put in order here, cheaper than a sort of every row in SQL). None when there
    are none: nothing happened in the window."""
    if not rows:
        return None
    interviews: list[InterviewRow] = []
    outcomes_at: dict[int, int] = {}
    debriefs: list[tuple[int, frozenset[str] | None]] = []
    topics: list[tuple[str, ...]] = []
    answers: dict[int, dict[str, Any]] = {}  # debrief id -> answers, of debriefs without a stored reading
    index: dict[int, int] = {}
    feedback = applied = recent = week = batches = 0
    focus = None
    for kind, at, a, b, c, d, e, f in rows:
        if kind == 0:
            interviews.append((a, c, d, at, e, b))
            if f is not None:
                outcomes_at[a] = f
        elif kind == 1:
            if c is None:
                index[a] = len(debriefs)
                debriefs.append((at, None))
                topics.append(())
            else:
                debriefs.append((at, _keys_of(c)))
                topics.append(_topics_of(d))
        elif kind == 2:
            given = answers.setdefault(a, {})
            try:
                given[c] = json.loads(d)
            except (TypeError, ValueError):
                pass  # a damaged value reads as skipped
        elif kind == 3:
            batches, applied, recent, week = at, a, b, f
        elif kind == 4:
            feedback = at
        else:
            focus = (c, from_ts(at))
    interviews.sort(key=_start_then_id)  # the index gives them nearly in that order already
    unread = {n: answers.get(debrief_id, {}) for debrief_id, n in index.items()}
    return UserWeekRows(
        interviews, outcomes_at, debriefs, topics, unread, feedback, applied, recent, week, batches, focus
    )


_start_then_id = itemgetter(3, 0)


class Summaries:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- run keys (one per user or channel and ISO week) -------------------------------------------

    async def weekly_run(self, tx: Tx, user_id: int, week: str) -> int:
        row = await tx.fetchone(
            "INSERT INTO weekly_runs (user_id, week) VALUES (?, ?) ON CONFLICT(user_id, week) DO UPDATE "
            "SET week = excluded.week RETURNING id",
            (user_id, week),
        )
        assert row is not None
        return int(row["id"])

    async def weekly_run_of(self, run_id: int) -> tuple[int, str] | None:
        row = await self.db.fetchone("SELECT user_id, week FROM weekly_runs WHERE id = ?", (run_id,))
        return (row["user_id"], row["week"]) if row else None

    async def cohort_run(self, tx: Tx, channel_id: int, week: str) -> int:
        row = await tx.fetchone(
            "INSERT INTO cohort_runs (channel_id, week) VALUES (?, ?) ON CONFLICT(channel_id, week) DO UPDATE "
            "SET week = excluded.week RETURNING id",
            (channel_id, week),
        )
        assert row is not None
        return int(row["id"])

    async def cohort_run_of(self, run_id: int) -> tuple[int, str] | None:
        row = await self.db.fetchone("SELECT channel_id, week FROM cohort_runs WHERE id = ?", (run_id,))
        return (row["channel_id"], row["week"]) if row else None

    async def cancel_unsent(self, tx: Tx, user_id: int, kind: str) -> int:
        """Cancel the owner's waiting summaries of ``kind``. One being sent (``claimed``) is left alone: its
        message may already be out, and its send records it as sent, so that week's run key stays spent
        and scheduling again (a new time, the server back on) moves to the next week instead of posting
        that week twice. A send that has not gone out yet checks the setting itself (off: dropped)."""
        return await tx.execute(
            "UPDATE prompts SET state = 'cancelled', last_error = 'rescheduled' "
            "WHERE user_id = ? AND kind = ? AND state = 'pending'",
            (user_id, kind),
        )

    # -- users ------------------------------------------------------------------------------------

    async def set_summary_time(self, user_id: int, when: str | None, on: bool) -> None:
        await self.db.execute(
            "UPDATE users SET summary_time = ?, weekly_summary = ? WHERE id = ?", (when, int(on), user_id)
        )

    async def summary_time(self, user_id: int) -> str | None:
        row = await self.db.fetchone("SELECT summary_time FROM users WHERE id = ?", (user_id,))
        return row["summary_time"] if row else None

    async def users_page(self, after_id: int, limit: int) -> list[tuple[int, str | None, str | None]]:
        """(id, timezone, summary_time) of users with weekly summaries on, ids after ``after_id``, who have
        logged anything and have no weekly prompt waiting: one page of the scheduling sweep."""
        rows = await self.db.fetchall(
            "SELECT u.id, u.timezone, u.summary_time FROM users u WHERE u.id > ? AND u.weekly_summary = 1 "
            "AND EXISTS (SELECT 1 FROM interviews i WHERE i.user_id = u.id) "
            "AND NOT EXISTS (SELECT 1 FROM prompts p WHERE p.user_id = u.id AND p.kind = 'weekly' "
            "AND p.state IN ('pending', 'claimed')) ORDER BY u.id LIMIT ?",
            (after_id, limit),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def week_rows(
        self, user_id: int, since: datetime, until: datetime, recent_since: datetime
    ) -> UserWeekRows | None:
        """What a weekly summary of [since, until) reads of one user, in one statement: every interview up
        to ``until`` (the funnel), each finished debrief's stored reading (its answers of the steps a
        summary reads only where none is stored), the count of the week's feedback, the applications'
        sums (all, after ``recent_since``, in the week), the active focus. None, after a few index probes
        and without reading the year, when nothing happened in the window."""
        params = {"u": user_id, "s": to_ts(since), "e": to_ts(until), "r": to_ts(recent_since)}
        rows = await self.db.fetchall(_WEEK_SQL, params)
        return _week_rows(rows)

    # -- summary channels --------------------------------------------------------------------------

    async def channel(self, channel_id: int) -> SummaryChannel | None:
        row = await self.db.fetchone("SELECT * FROM summary_channels WHERE channel_id = ?", (channel_id,))
        return SummaryChannel.from_row(row) if row else None

    async def channels_of(self, guild_id: int) -> list[SummaryChannel]:
        rows = await self.db.fetchall(
            "SELECT * FROM summary_channels WHERE guild_id = ? ORDER BY channel_id", (guild_id,)
        )
        return [SummaryChannel.from_row(r) for r in rows]

    async def channels_unscheduled(self, after_id: int, limit: int) -> list[int]:
        """Summary channels, ids after ``after_id``, of servers whose features are on, with no cohort
        prompt waiting: one page of the sweep that keeps every channel's next post scheduled."""
        rows = await self.db.fetchall(
            "SELECT c.channel_id FROM summary_channels c JOIN guilds g ON g.id = c.guild_id "
            "WHERE c.channel_id > ? AND g.enabled = 1 AND NOT EXISTS (SELECT 1 FROM cohort_runs r "
            "JOIN prompts p ON p.kind = 'cohort' AND p.subject_id = r.id AND p.state IN ('pending', 'claimed') "
            "WHERE r.channel_id = c.channel_id) ORDER BY c.channel_id LIMIT ?",
            (after_id, limit),
        )
        return [r[0] for r in rows]

    async def add_channel(self, channel_id: int, guild_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO summary_channels (channel_id, guild_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(channel_id) DO NOTHING",
            (channel_id, guild_id, to_ts(now)),
        )

    async def remove_channel(self, tx: Tx, channel_id: int) -> None:
        await tx.execute("DELETE FROM summary_channels WHERE channel_id = ?", (channel_id,))

    async def set_channel_time(self, channel_id: int, when: str, zone: str) -> None:
        await self.db.execute(
            "UPDATE summary_channels SET summary_time = ?, timezone = ? WHERE channel_id = ?", (when, zone, channel_id)
        )

    async def channel_posted(self, channel_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE summary_channels SET last_posted_at = ?, last_error = NULL, last_error_at = NULL "
            "WHERE channel_id = ?",
            (to_ts(now), channel_id),
        )

    async def channel_failed(self, channel_id: int, error: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE summary_channels SET last_error = ?, last_error_at = ? WHERE channel_id = ?",
            (error, to_ts(now), channel_id),
        )

    # -- cohort members ----------------------------------------------------------------------------

    async def join(self, user_id: int, channel_id: int, guild_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO cohort_members (user_id, channel_id, guild_id, joined_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(channel_id, user_id) DO NOTHING",
            (user_id, channel_id, guild_id, to_ts(now)),
        )

    async def leave(self, user_id: int, guild_id: int) -> int:
        return await self.db.execute(
            "DELETE FROM cohort_members WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )

    async def shares_in(self, user_id: int, guild_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT channel_id FROM cohort_members WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        return [r[0] for r in rows]

    async def member_count(self, channel_id: int) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM cohort_members WHERE channel_id = ?", (channel_id,))
        return int(row[0]) if row else 0

    async def cohort_rows(
        self, channel_id: int, start: datetime, end: datetime
    ) -> tuple[
        list[tuple[int, str]],
        list[tuple[int, dict[str, Any]]],
        list[tuple[int, str]],
    ]:
        """The window's rows of the channel's opted-in members, never who wrote what beyond a user id:
        (user id, stage) of interviews held, (user id, answers) of debriefs finished, (user id, text) of
        feedback added. Three set-based reads, each through the members' index."""
        s, e = to_ts(start), to_ts(end)
        interviews = await self.db.fetchall(
            "SELECT i.user_id, i.stage FROM cohort_members m JOIN interviews i ON i.user_id = m.user_id "
            "WHERE m.channel_id = ? AND i.starts_at >= ? AND i.starts_at < ?",
            (channel_id, s, e),
        )
        debriefs = await self.db.fetchall(
            f"SELECT d.user_id, {_ANSWERS_JSON[self.db.engine]} FROM cohort_members m "
            "JOIN debriefs d ON d.user_id = m.user_id AND d.state = 'done' "
            "WHERE m.channel_id = ? AND d.finished_at >= ? AND d.finished_at < ?",
            (channel_id, s, e),
        )
        feedback = await self.db.fetchall(
            "SELECT f.user_id, f.text FROM cohort_members m JOIN feedback f ON f.user_id = m.user_id "
            "WHERE m.channel_id = ? AND f.created_at >= ? AND f.created_at < ?",
            (channel_id, s, e),
        )
        return (
            [(r[0], r[1]) for r in interviews],
            [(r[0], _answers(r[1])) for r in debriefs],
            [(r[0], r[1]) for r in feedback],
        )
