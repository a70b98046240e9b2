"""Everything held about one user: export, forget, the server clean-up and the retention sweep.

Which tables hold a user's rows is read from the schema itself (the engine's catalogue: columns and
foreign keys): a table with a ``user_id`` column holds them directly, a table whose foreign key points at such
a table holds them through its parent (``answers`` through ``debriefs``). :meth:`Privacy.forget`
deletes along those relations, so a table added later is covered without anyone remembering it.

The export reads each kind of record with its own query (:data:`SECTIONS`), because its sections are
a documented format (``docs/privacy.md``); ``tests/cogs/test_privacy_e2e.py`` reads the schema on its
own and fails when a table holding user data is missing from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.db import Database, Tx
from bot.store.models import from_ts, to_ts
from bot.store.prompts import INTERVIEW_PROMPT_KINDS

#: A server's cohort posts are queued under a users row of the server's own id (bot/services/summaries.py):
#: such a row is not a person, and retention never warns or forgets it.
_NOT_A_SERVER = "id NOT IN (SELECT guild_id FROM summary_channels)"


#: The export's sections, in order: (section, table, query by user id). Every column is exported.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("settings", "users", "SELECT * FROM users WHERE id = ?"),
    ("servers", "memberships", "SELECT * FROM memberships WHERE user_id = ? ORDER BY guild_id"),
    ("interviews", "interviews", "SELECT * FROM interviews WHERE user_id = ? ORDER BY starts_at, id"),
    ("debriefs", "debriefs", "SELECT * FROM debriefs WHERE user_id = ? ORDER BY started_at, id"),
    (
        "answers",
        "answers",
        "SELECT a.* FROM debriefs d JOIN answers a ON a.debrief_id = d.id WHERE d.user_id = ? "
        "ORDER BY a.debrief_id, a.step",
    ),
    ("feedback", "feedback", "SELECT * FROM feedback WHERE user_id = ? ORDER BY created_at, id"),
    ("next_steps", "next_steps", "SELECT * FROM next_steps WHERE user_id = ? ORDER BY chosen_at, id"),
    ("focus", "focus", "SELECT * FROM focus WHERE user_id = ? ORDER BY created_at, id"),
    ("applications", "applications", "SELECT * FROM applications WHERE user_id = ? ORDER BY logged_at, id"),
    ("prompts", "prompts", "SELECT * FROM prompts WHERE user_id = ? ORDER BY due_at, id"),
    ("drafts", "drafts", "SELECT * FROM drafts WHERE user_id = ? ORDER BY created_at, id"),
    ("weekly_summaries", "weekly_runs", "SELECT * FROM weekly_runs WHERE user_id = ? ORDER BY week, id"),
    (
        "cohort_opt_ins",
        "cohort_members",
        "SELECT * FROM cohort_members WHERE user_id = ? ORDER BY guild_id, channel_id",
    ),
)


@dataclass(frozen=True, slots=True)
class Relation:
    """How ``table`` holds a user's rows: ``WHERE {where}`` with the user id as the one parameter."""

    table: str
    where: str
    depth: int  # 0: the users table, 1: a user_id column, 2+: through a parent


class Privacy:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._relations: list[Relation] | None = None

    # -- the schema ---------------------------------------------------------------------------------

    async def relations(self) -> list[Relation]:
        """Every table holding a user's rows and how to find them, read from the schema (once)."""
        if self._relations is None:
            schema = await self.db.tables()  # the engine reads its own catalogue
            tables = sorted(schema)
            columns = {table: schema[table][0] for table in tables}
            keys = {table: schema[table][1] for table in tables}
            found: dict[str, Relation] = {"users": Relation("users", "id = ?", 0)}
            for table in tables:
                if table not in found and "user_id" in columns[table]:
                    found[table] = Relation(table, "user_id = ?", 1)
            changed = True
            while changed:  # tables reached through a parent that holds user rows, to any depth
                changed = False
                for table in tables:
                    if table in found:
                        continue
                    for column, parent, target in keys[table]:
                        if parent in found and parent != table:
                            up = found[parent]
                            where = f"{column} IN (SELECT {target} FROM {parent} WHERE {up.where})"
                            found[table] = Relation(table, where, up.depth + 1)
                            changed = True
                            break
            self._relations = sorted(found.values(), key=lambda r: (r.depth, r.table))
        return self._relations

    # -- export -------------------------------------------------------------------------------------

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every section of :data:`SECTIONS` as rows of column → stored value, read in one transaction
        (so the sections agree with each other)."""
        out: dict[str, list[dict[str, Any]]] = {}
        async with self.db.transaction() as tx:
            for section, _table, sql in SECTIONS:
                out[section] = [dict(row) for row in await tx.fetchall(sql, (user_id,))]
        return out

    # -- forget -------------------------------------------------------------------------------------

    async def count(self, user_id: int) -> dict[str, int]:
        """How many rows each table holds about the user (tables with none are left out)."""
        relations = await self.relations()
        async with self.db.transaction() as tx:
            return await self._count(tx, relations, user_id)

    @staticmethod
    async def _count(tx: Tx, relations: list[Relation], user_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for relation in relations:
            row = await tx.fetchone(f"SELECT COUNT(*) FROM {relation.table} WHERE {relation.where}", (user_id,))
            if row and row[0]:
                counts[relation.table] = int(row[0])
        return counts

    async def forget(self, user_id: int, *, if_inactive: tuple[datetime, datetime] | None = None) -> dict[str, int]:
        """Delete every row of the user in one transaction; returns how many went, per table.

        ``if_inactive=(seen_before, warned_before)`` (the retention sweep) deletes only if, inside that
        same transaction, the user is still unseen since then and still warned before then: someone who
        came back between the sweep's read and this delete keeps their data (an empty result)."""
        relations = await self.relations()
        async with self.db.transaction() as tx:
            if if_inactive is not None:
                seen_before, warned_before = if_inactive
                still = await tx.fetchone(
                    "SELECT 1 FROM users WHERE id = ? AND last_seen_at < ? AND retention_warned_at <= ?",
                    (user_id, to_ts(seen_before), to_ts(warned_before)),
                )
                if still is None:
                    return {}
            counts = await self._count(tx, relations, user_id)
            # children first, the users row last (its cascades then find nothing left)
            for relation in sorted(relations, key=lambda r: -r.depth):
                await tx.execute(f"DELETE FROM {relation.table} WHERE {relation.where}", (user_id,))
        return counts

    async def forget_interview(self, user_id: int, interview_id: int) -> dict[str, int] | None:
        """Delete one interview of the user with its debrief and answers, feedback, next steps and
        prompts; later rounds and focus items lose their link to it. None if it isn't theirs."""
        async with self.db.transaction() as tx:
            own = await tx.fetchone("SELECT id FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
            if own is None:
                return None
            counts = {"interviews": 1}
            kinds = ",".join("?" * len(INTERVIEW_PROMPT_KINDS))
            for table, sql, params in (
                ("debriefs", "SELECT COUNT(*) FROM debriefs WHERE interview_id = ?", (interview_id,)),
                (
                    "answers",
                    "SELECT COUNT(*) FROM debriefs d JOIN answers a ON a.debrief_id = d.id WHERE d.interview_id = ?",
                    (interview_id,),
                ),
                ("feedback", "SELECT COUNT(*) FROM feedback WHERE interview_id = ?", (interview_id,)),
                ("next_steps", "SELECT COUNT(*) FROM next_steps WHERE interview_id = ?", (interview_id,)),
                (
                    "prompts",
                    f"SELECT COUNT(*) FROM prompts WHERE kind IN ({kinds}) AND subject_id = ? AND user_id = ?",
                    (*INTERVIEW_PROMPT_KINDS, interview_id, user_id),
                ),
            ):
                row = await tx.fetchone(sql, params)
                if row and row[0]:
                    counts[table] = int(row[0])
            await tx.execute(
                f"DELETE FROM prompts WHERE kind IN ({kinds}) AND subject_id = ? AND user_id = ?",
                (*INTERVIEW_PROMPT_KINDS, interview_id, user_id),
            )
            await tx.execute("DELETE FROM interviews WHERE id = ? AND user_id = ?", (interview_id, user_id))
        return counts

    # -- servers ------------------------------------------------------------------------------------

    async def forget_guild(self, guild_id: int) -> int:
        """The bot left a server: its settings, who was seen there, its cohort summary channels (with
        who opted in there) and its queued cohort posts go; members' notes stay."""
        async with self.db.transaction() as tx:
            members = await tx.execute("DELETE FROM memberships WHERE guild_id = ?", (guild_id,))
            settings = await tx.execute("DELETE FROM guilds WHERE id = ?", (guild_id,))
            opted = await tx.execute(
                "DELETE FROM cohort_members "
                "WHERE channel_id IN (SELECT channel_id FROM summary_channels WHERE guild_id = ?)",
                (guild_id,),
            )
            channels = await tx.execute("DELETE FROM summary_channels WHERE guild_id = ?", (guild_id,))
            # The server's cohort posts are queued under a row of its own id (bot/services/summaries.py),
            # each with its week's run key as subject; the keys outlive a removed channel, not the server.
            await tx.execute(
                "DELETE FROM cohort_runs WHERE id IN "
                "(SELECT subject_id FROM prompts WHERE user_id = ? AND kind = 'cohort')",
                (guild_id,),
            )
            posts = await tx.execute("DELETE FROM prompts WHERE user_id = ? AND kind = 'cohort'", (guild_id,))
        return members + settings + opted + channels + posts

    async def forget_membership(self, user_id: int, guild_id: int) -> bool:
        """A member left a server: they are no longer counted there, nor in its cohort summaries."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "DELETE FROM memberships WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
            )
            opted = await tx.execute(
                "DELETE FROM cohort_members WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
            )
        return changed + opted > 0

    # -- activity and retention ---------------------------------------------------------------------

    async def touch(self, user_id: int, now: datetime, every_s: int) -> bool:
        """The user used Debrief: record it (at most once per ``every_s``), and take back a retention
        warning (its prompt included). True if a warning was taken back."""
        row = await self.db.fetchone("SELECT last_seen_at, retention_warned_at FROM users WHERE id = ?", (user_id,))
        if row is None:
            return False
        ts = to_ts(now)
        warned = row["retention_warned_at"] is not None
        if not warned and row["last_seen_at"] is not None and row["last_seen_at"] > ts - every_s:
            return False
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE users SET last_seen_at = ?, retention_warned_at = NULL WHERE id = ?", (ts, user_id)
            )
            if warned:
                await tx.execute(
                    "DELETE FROM prompts WHERE kind = 'retention' AND subject_id = ? AND user_id = ?",
                    (user_id, user_id),
                )
        return warned

    async def inactive_unwarned(self, seen_before: datetime, limit: int) -> list[int]:
        """Users last seen before ``seen_before`` who have not been warned yet, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id FROM users WHERE last_seen_at < ? AND retention_warned_at IS NULL "
            f"AND {_NOT_A_SERVER} ORDER BY last_seen_at LIMIT ?",
            (to_ts(seen_before), limit),
        )
        return [row["id"] for row in rows]

    async def inactive_warned(self, seen_before: datetime, warned_before: datetime, limit: int) -> list[int]:
        """Users last seen before ``seen_before`` and warned before ``warned_before``, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id FROM users WHERE last_seen_at < ? AND retention_warned_at <= ? "
            f"AND {_NOT_A_SERVER} ORDER BY last_seen_at LIMIT ?",
            (to_ts(seen_before), to_ts(warned_before), limit),
        )
        return [row["id"] for row in rows]

    async def warn(self, user_id: int, now: datetime, due_at: datetime) -> int | None:
        """Mark the user warned and schedule the warning DM (a ``retention`` prompt about them)."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE users SET retention_warned_at = ? WHERE id = ? AND retention_warned_at IS NULL",
                (to_ts(now), user_id),
            )
            if not changed:
                return None
            row = await tx.fetchone(
                "INSERT INTO prompts (kind, subject_id, user_id, due_at, created_at) VALUES ('retention', ?, ?, ?, ?) "
                "ON CONFLICT(kind, subject_id) DO UPDATE SET due_at = excluded.due_at, state = 'pending', "
                "attempts = 0, late_since = NULL, last_error = NULL, sent_at = NULL RETURNING id",
                (user_id, user_id, to_ts(due_at), to_ts(now)),
            )
        return row["id"] if row else None

    async def warned_at(self, user_id: int) -> datetime | None:
        row = await self.db.fetchone("SELECT retention_warned_at FROM users WHERE id = ?", (user_id,))
        return from_ts(row["retention_warned_at"]) if row else None

    async def last_seen(self, user_id: int) -> datetime | None:
        row = await self.db.fetchone("SELECT last_seen_at FROM users WHERE id = ?", (user_id,))
        return from_ts(row["last_seen_at"]) if row else None
