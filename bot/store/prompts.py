"""The prompt queue's rows. The store is the queue: nothing scheduled lives only in memory.

A prompt is unique per (kind, subject): scheduling one again moves it instead of adding a second.
States: ``pending`` → ``claimed`` (taken by the dispatcher, one statement, so two claimers never share a
row) → ``sent``; or ``cancelled``; or back to ``pending`` with a later due time for a retry or a snooze.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from bot.store.db import Database, Tx
from bot.store.models import Prompt, from_ts, to_ts

#: PostgreSQL advisory locks (two-key form, apart from the one-key locks on prompt ids): every claim
#: takes (LOCKS, CLAIMING) to the end of its transaction, so the claims of all processes are serialised.
LOCKS = 0x4442  # "DB"
CLAIMING = 2

KINDS = ("debrief", "checkin", "ghosting", "retention", "pre_interview", "weekly", "cohort")
#: Prompt kinds whose subject is an interview (they go with it).
INTERVIEW_PROMPT_KINDS = ("debrief", "checkin", "ghosting", "pre_interview")


def _kind_filter(kinds: Collection[str] | None, skip: Collection[str]) -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its parameters) of a claim limited to ``kinds`` or leaving out ``skip``."""
    if kinds is not None:
        picked = tuple(sorted(kinds))
        return (f" AND kind IN ({', '.join('?' * len(picked))})" if picked else " AND 0 = 1"), picked
    picked = tuple(sorted(skip))
    return (f" AND kind NOT IN ({', '.join('?' * len(picked))})" if picked else ""), picked


class Prompts:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: PostgreSQL: prompts this process claimed and has not settled (it holds their locks).
        self._mine: set[int] = set()

    async def schedule(
        self,
        tx: Tx,
        *,
        kind: str,
        subject_id: int,
        user_id: int,
        due_at: datetime,
        now: datetime,
        revive: bool = False,
    ) -> int | None:
        """Create the (kind, subject) prompt, or move it if it is still pending.

        A prompt already sent or claimed is left alone and ``None`` is returned; so is a cancelled one,
        unless ``revive`` (the user asked for it again, e.g. chose a time after choosing "no prompt").
        """
        if kind not in KINDS:
            raise ValueError(f"unknown prompt kind {kind}")
        movable = "('pending', 'cancelled')" if revive else "('pending')"
        row = await tx.fetchone(
            "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(kind, subject_id) DO UPDATE SET due_at = excluded.due_at, attempts = 0, state = 'pending', "
            "late_since = NULL, last_error = NULL, created_at = CASE WHEN prompts.state = 'cancelled' "
            f"THEN excluded.created_at ELSE prompts.created_at END WHERE prompts.state IN {movable} RETURNING id",
            (kind, subject_id, user_id, to_ts(due_at), to_ts(now)),
        )
        return row["id"] if row else None

    async def schedule_many(self, rows: Iterable[tuple[str, int, int, int, int]]) -> None:
        """Bulk insert of (kind, subject_id, user_id, due_ts, created_ts); duplicates are ignored."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(kind, subject_id) DO NOTHING",
                rows,
            )

    async def get(self, prompt_id: int) -> Prompt | None:
        row = await self.db.fetchone("SELECT * FROM prompts WHERE id = ?", (prompt_id,))
        return Prompt.from_row(row) if row else None

    async def find(self, kind: str, subject_id: int, tx: Tx | None = None) -> Prompt | None:
        sql, params = "SELECT * FROM prompts WHERE kind = ? AND subject_id = ?", (kind, subject_id)
        row = await (tx.fetchone(sql, params) if tx is not None else self.db.fetchone(sql, params))
        return Prompt.from_row(row) if row else None

    async def pending_of_kind(self, tx: Tx, user_id: int, kind: str) -> Prompt | None:
        """The user's earliest pending prompt of ``kind`` (a seek on the user's pending prompts)."""
        row = await tx.fetchone(
            "SELECT * FROM prompts WHERE user_id = ? AND state = 'pending' AND kind = ? ORDER BY due_at LIMIT 1",
            (user_id, kind),
        )
        return Prompt.from_row(row) if row else None

    async def for_user(self, user_id: int, states: tuple[str, ...] = ("pending",)) -> list[Prompt]:
        marks = ",".join("?" * len(states))
        rows = await self.db.fetchall(
            f"SELECT * FROM prompts WHERE user_id = ? AND state IN ({marks}) ORDER BY due_at", (user_id, *states)
        )
        return [Prompt.from_row(row) for row in rows]

    async def cancel(self, tx: Tx, kind: str, subject_id: int) -> bool:
        """Cancel the prompt if it has not gone out; True if one was cancelled."""
        changed = await tx.execute(
            "UPDATE prompts SET state = 'cancelled' "
            "WHERE kind = ? AND subject_id = ? AND state IN ('pending', 'claimed')",
            (kind, subject_id),
        )
        return changed > 0

    async def hand_over(self, tx: Tx, prompt_id: int, subject_id: int) -> bool:
        """Give a pending prompt another subject (a folded check-in whose interview is being deleted)."""
        changed = await tx.execute(
            "UPDATE prompts SET subject_id = ? WHERE id = ? AND state = 'pending'", (subject_id, prompt_id)
        )
        return changed > 0

    async def release_interview(self, tx: Tx, user_id: int, interview_id: int) -> int:
        """The interview is being deleted: cancel its prompts that have not gone out and let go of its
        key. (Before migration 0013 SQLite gave the next interview the id of the newest one deleted, and a
        prompt left under that (kind, subject) stood in for the new interview's own; ids are no longer
        reused, and the key is let go all the same, so no prompt names an interview that is gone.) The rows
        stay, cancelled, under a subject no interview has (minus their own id)."""
        kinds = ",".join("?" * len(INTERVIEW_PROMPT_KINDS))
        return await tx.execute(
            "UPDATE prompts SET subject_id = -id, "
            "state = CASE WHEN state IN ('pending', 'claimed') THEN 'cancelled' ELSE state END "
            f"WHERE kind IN ({kinds}) AND subject_id = ? AND user_id = ?",
            (*INTERVIEW_PROMPT_KINDS, interview_id, user_id),
        )

    async def delivered(self, tx: Tx, prompt_id: int, user_id: int, now: datetime) -> None:
        """The user clicked the prompt's button, so it was delivered: a send the dispatcher has not
        recorded yet (still ``claimed``) is recorded now, and its own record later changes nothing."""
        await tx.execute(
            "UPDATE prompts SET state = 'sent', sent_at = ? WHERE id = ? AND user_id = ? AND state = 'claimed'",
            (to_ts(now), prompt_id, user_id),
        )

    async def snooze(self, tx: Tx, prompt_id: int, user_id: int, due_at: datetime) -> bool:
        """Bring a sent (or pending, or claimed) prompt back for later. Only the prompt's own user may.

        A claimed prompt is one being sent: its message may already be in the user's DM while the
        dispatcher waits for Discord's answer, so its buttons must work. Its ``mark_sent`` only changes a
        row still ``claimed``, so it does not undo the snooze."""
        changed = await tx.execute(
            "UPDATE prompts SET state = 'pending', due_at = ?, attempts = 0, late_since = NULL, "
            "snoozes = snoozes + 1 WHERE id = ? AND user_id = ? AND state IN ('pending', 'claimed', 'sent')",
            (to_ts(due_at), prompt_id, user_id),
        )
        return changed > 0

    async def skip(self, tx: Tx, prompt_id: int, user_id: int) -> bool:
        """Cancel the prompt at the user's request, including one being sent (``claimed``: see :meth:`snooze`)."""
        changed = await tx.execute(
            "UPDATE prompts SET state = 'cancelled', last_error = 'skipped' WHERE id = ? AND user_id = ? "
            "AND state IN ('pending', 'claimed', 'sent')",
            (prompt_id, user_id),
        )
        return changed > 0

    # -- the dispatcher's side --------------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        """The earliest pending due time (an index seek, whatever the table's size)."""
        row = await self.db.fetchone("SELECT MIN(due_at) FROM prompts WHERE state = 'pending'")
        return from_ts(row[0]) if row and row[0] is not None else None

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        per_user: int | None = None,
        *,
        kinds: Collection[str] | None = None,
        skip: Collection[str] = (),
    ) -> list[Prompt]:
        """Atomically take up to ``limit`` pending prompts due by ``now``, fairly across users.

        Each user's due prompts are ranked oldest first; the claim takes every user's first before
        anyone's second (round-robin), and never more than ``per_user`` in flight (claimed) for one
        user, counting those already claimed. So one user's backlog cannot hold up another's prompt.
        ``per_user=None`` has no per-user bound (still round-robin). ``kinds`` takes only prompts of
        those kinds, ``skip`` none of those (the dispatcher claims bulk kinds apart, bot.prompts).
        """
        ts = to_ts(now)
        cap = -1 if per_user is None else per_user
        which, picked = _kind_filter(kinds, skip)
        if self.db.engine == "postgresql":
            rows = await self._claim_due_pg(ts, cap, limit, which, picked)
            return sorted((Prompt.from_row(row) for row in rows), key=lambda p: (p.due_at, p.id))
        rows = await self.db.fetchall(
            "WITH due AS (SELECT id, user_id, due_at, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY due_at, id) "
            f"AS turn FROM prompts INDEXED BY prompts_pending_due WHERE state = 'pending' AND due_at <= ?{which}), "
            "busy AS (SELECT user_id, COUNT(*) AS n FROM prompts WHERE state = 'claimed' GROUP BY user_id) "
            "UPDATE prompts SET state = 'claimed', claimed_at = ?, attempts = attempts + 1 WHERE id IN "
            "(SELECT due.id FROM due LEFT JOIN busy ON busy.user_id = due.user_id "
            "WHERE ? < 0 OR due.turn + IFNULL(busy.n, 0) <= ? "
            "ORDER BY due.turn, due.due_at, due.id LIMIT ?) RETURNING *",
            (ts, *picked, ts, cap, cap, limit),
        )
        return sorted((Prompt.from_row(row) for row in rows), key=lambda p: (p.due_at, p.id))

    async def _claim_due_pg(self, ts: int, cap: int, limit: int, which: str, picked: tuple[str, ...]) -> list:
        """PostgreSQL's claim: the same choice as SQLite's (round-robin by user, oldest first, the per-user
        bound), for several processes. An advisory lock held to the end of the transaction serialises the
        claims of all processes, so each sees the others' claims (the per-user bound holds across them);
        ``FOR UPDATE SKIP LOCKED`` passes over rows another transaction holds (a snooze, a skip) instead
        of waiting for them, and re-checks ``state`` on rows changed meanwhile.

        Each claimed prompt is also locked for this process (a session-level advisory lock keyed by its
        id, taken before the claim commits): that is how another process tells a live claim from one
        left by a dead process (:meth:`claimed`), with no column to keep up to date."""
        async with self.db.transaction() as tx:
            await tx.fetchone("SELECT pg_advisory_xact_lock(?, ?)", (LOCKS, CLAIMING))
            rows = await tx.fetchall(
                "WITH due AS (SELECT id, user_id, due_at, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY due_at, id) "
                f"AS turn FROM prompts WHERE state = 'pending' AND due_at <= ?{which}), "
                "busy AS (SELECT user_id, COUNT(*) AS n FROM prompts WHERE state = 'claimed' GROUP BY user_id), "
                "chosen AS (SELECT due.id FROM due LEFT JOIN busy ON busy.user_id = due.user_id "
                "WHERE ? < 0 OR due.turn + COALESCE(busy.n, 0) <= ? ORDER BY due.turn, due.due_at, due.id LIMIT ?), "
                "locked AS (SELECT p.id FROM prompts p WHERE p.id IN (SELECT id FROM chosen) AND p.state = 'pending' "
                "FOR UPDATE OF p SKIP LOCKED) "
                "UPDATE prompts SET state = 'claimed', claimed_at = ?, attempts = attempts + 1 "
                "WHERE id IN (SELECT id FROM locked) RETURNING *",
                (ts, *picked, cap, cap, limit, ts),
            )
            if not rows:
                return rows
            # Never wait for a lock here (this transaction holds the claim lock every process needs): a
            # prompt whose lock another live process still holds (it was snoozed back to pending while
            # that process was sending it, and fell due again before the send ended) is left for later.
            held = await tx.fetchall(
                "SELECT id FROM unnest(CAST(? AS BIGINT[])) AS id WHERE NOT pg_try_advisory_lock(id)",
                ([row["id"] for row in rows],),
            )
            if held:
                busy = [row[0] for row in held]
                await tx.execute(
                    "UPDATE prompts SET state = 'pending', attempts = attempts - 1 WHERE id = ANY(CAST(? AS BIGINT[]))",
                    (busy,),
                )
                rows = [row for row in rows if row["id"] not in set(busy)]
            self._mine.update(row["id"] for row in rows)
            return rows

    async def _disown(self, prompt_id: int) -> None:
        """The dispatcher is done with a prompt it claimed: drop this process's lock on it (PostgreSQL)."""
        if self.db.engine == "postgresql" and prompt_id in self._mine:
            self._mine.discard(prompt_id)
            await self.db.execute("SELECT pg_advisory_unlock(?)", (prompt_id,))

    @property
    def shared(self) -> bool:
        """True when other processes may claim from the same queue (PostgreSQL): then :meth:`claimed`
        finds only dead processes' claims and may be asked at any time, not just at start."""
        return self.db.engine == "postgresql"

    async def count_pending(self, user_id: int, tx: Tx | None = None) -> int:
        """How many prompts the user has waiting (for the per-user cap); reads one index range. Inside a
        transaction pass its ``tx``."""
        sql, params = "SELECT COUNT(*) FROM prompts WHERE user_id = ? AND state = 'pending'", (user_id,)
        row = await (tx.fetchone(sql, params) if tx is not None else self.db.fetchone(sql, params))
        return int(row[0]) if row else 0

    async def claimed(self) -> list[Prompt]:
        """Prompts left claimed by a process that died between claim and the end of its send.

        On SQLite that is every claimed prompt (one process; called at its start). On PostgreSQL, other
        processes may be sending right now: a claim is a dead process's when its lock (see
        :meth:`claim_due`) can be taken, because PostgreSQL drops a session's locks when it ends, even
        by SIGKILL. The lock taken here makes the prompts this process's until it settles them."""
        if self.db.engine == "postgresql":
            # (A session's locks are re-entrant: this process's own claims are left out by id.)
            rows = await self.db.fetchall(
                "WITH c AS MATERIALIZED (SELECT * FROM prompts WHERE state = 'claimed' "
                "AND NOT (id = ANY(CAST(? AS BIGINT[])))) "
                "SELECT * FROM c WHERE pg_try_advisory_lock(c.id) ORDER BY due_at",
                (sorted(self._mine),),
            )
            self._mine.update(row["id"] for row in rows)
        else:
            rows = await self.db.fetchall("SELECT * FROM prompts WHERE state = 'claimed' ORDER BY due_at")
        return [Prompt.from_row(row) for row in rows]

    async def release(self, prompt_id: int) -> None:
        """Put a claimed prompt back, unchanged, to be claimed again."""
        await self.db.execute("UPDATE prompts SET state = 'pending' WHERE id = ? AND state = 'claimed'", (prompt_id,))
        await self._disown(prompt_id)

    async def mark_sent(self, prompt_id: int, message_id: int | None, now: datetime) -> None:
        await self.db.execute(
            "UPDATE prompts SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL "
            "WHERE id = ? AND state = 'claimed'",
            (to_ts(now), message_id, prompt_id),
        )
        await self._disown(prompt_id)

    async def retry_later(self, prompt_id: int, due_at: datetime, error: str, late_since: datetime | None) -> None:
        """Back to pending at ``due_at``, keeping the original due time for the "this is late" note."""
        await self.db.execute(
            "UPDATE prompts SET state = 'pending', due_at = ?, last_error = ?, "
            "late_since = COALESCE(late_since, ?) WHERE id = ? AND state = 'claimed'",
            (to_ts(due_at), error, to_ts(late_since) if late_since else None, prompt_id),
        )
        await self._disown(prompt_id)

    async def drop(self, prompt_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE prompts SET state = 'cancelled', last_error = ? WHERE id = ? AND state = 'claimed'",
            (reason, prompt_id),
        )
        await self._disown(prompt_id)

    async def fail(self, prompt_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE prompts SET state = 'failed', last_error = ? WHERE id = ? AND state = 'claimed'", (error, prompt_id)
        )
        await self._disown(prompt_id)

    async def count_by_state(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT state, COUNT(*) FROM prompts GROUP BY state")
        return {row[0]: row[1] for row in rows}

    async def count_waiting(self, cap: int) -> int:
        """Pending prompts, counted up to ``cap`` on the partial index of pending rows (for the start line)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM (SELECT 1 FROM prompts WHERE state = 'pending' LIMIT ?) AS waiting", (cap,)
        )
        return int(row[0]) if row else 0

    async def count_unsent_by_kind(self) -> dict[tuple[str, str], int]:
        """Pending and claimed prompts by (kind, state), for the metrics: the rows still to send, read seldom.

        Sent, failed and cancelled rows grow for ever and are not counted here; the dispatcher's events
        (``debrief_prompt_events_total``) count them as they happen.
        """
        rows = await self.db.fetchall(
            "SELECT kind, 'pending', COUNT(*) FROM prompts WHERE state = 'pending' GROUP BY kind "
            "UNION ALL SELECT kind, 'claimed', COUNT(*) FROM prompts WHERE state = 'claimed' GROUP BY kind"
        )
        return {(row[0], row[1]): row[2] for row in rows}
