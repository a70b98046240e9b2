"""A folded check-in outlives the interview that owns it (shared by deleting and forgetting an interview).

Several rejections fold into one check-in, kept under the first rejected interview (bot/services/outcomes.py).
When that interview goes, the check-in moves to the next interview it names, keeping its time and the
moment it was scheduled (the sender names every rejection since then), so the others' check-in is not lost.
"""

from __future__ import annotations

from datetime import datetime

from bot.store import Store, Tx


async def keep_folded_checkin(store: Store, tx: Tx, user_id: int, interview_id: int, now: datetime) -> int | None:
    """Inside the transaction that deletes ``interview_id``: move its pending check-in, if it names other
    rejections, to the first of them that has no check-in of its own. Returns the interview it moved to."""
    checkin = await store.prompts.find("checkin", interview_id, tx)
    if checkin is None or checkin.state != "pending" or checkin.user_id != user_id:
        return None
    for other in await store.interviews.rejected_between(user_id, checkin.created_at, now, tx=tx):
        if other.id == interview_id or await store.prompts.find("checkin", other.id, tx) is not None:
            continue
        if await store.prompts.hand_over(tx, checkin.id, other.id):
            return other.id
    return None
