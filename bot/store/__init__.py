"""The store: SQLite by default (``db.py``, the standard library's sqlite3: one writer thread, reads on
the loop), PostgreSQL for several processes (``pg.py``). SQL lives in this package and nowhere else.

``Store`` opens the database and exposes one repository per aggregate. Both engines offer the same
methods (``execute``, ``fetchone``, ``fetchall``, ``transaction`` yielding a ``Tx``); ``db.engine`` says
which one it is, for the few statements that need a per-engine variant.

An id that reaches a user (a custom id, an autocomplete value, a prompt's subject) is never given to
another row: ``AUTOINCREMENT`` on SQLite (migration 0013, ``rebuild.py``), identity columns on PostgreSQL.
A new table whose ids reach a user is created with ``id INTEGER PRIMARY KEY AUTOINCREMENT``.
"""

from __future__ import annotations

from pathlib import Path

from bot.store import pg
from bot.store.db import Conflict, Database, StoreError, Tx
from bot.store.debriefs import Debriefs
from bot.store.drafts import Draft, Drafts
from bot.store.feedback import Applications, FeedbackRepo, NextSteps
from bot.store.guilds import Guilds
from bot.store.interviews import Interviews
from bot.store.models import Guild, Interview, Prompt, User
from bot.store.privacy import Privacy
from bot.store.prompts import Prompts
from bot.store.summaries import Summaries
from bot.store.users import Users

__all__ = ["Conflict", "Draft", "Guild", "Interview", "Prompt", "Store", "StoreError", "Tx", "User"]


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = Users(db)
        self.guilds = Guilds(db)
        self.interviews = Interviews(db)
        self.prompts = Prompts(db)
        self.debriefs = Debriefs(db)
        self.drafts = Drafts(db)
        self.feedback = FeedbackRepo(db)
        self.applications = Applications(db)
        self.next_steps = NextSteps(db)
        self.privacy = Privacy(db)
        self.summaries = Summaries(db)

    @classmethod
    async def open(cls, target: Path | str) -> Store:
        """Open a SQLite file, or a PostgreSQL database given as a ``postgresql://`` URL."""
        if pg.is_url(target):
            return cls(await pg.PgDatabase.open(str(target)))  # type: ignore[arg-type]
        return cls(await Database.open(Path(target)))

    def transaction(self):
        return self.db.transaction()

    async def get_meta(self, key: str) -> str | None:
        row = await self.db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def close(self) -> None:
        await self.db.close()
