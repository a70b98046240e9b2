"""Write a generated season (tests/coach/patterns_season.py) into a real store, through the store's own
methods, so end-to-end and service tests get months of data without hundreds of slash commands."""

from __future__ import annotations

from bot.coach.patterns import DebriefFact
from bot.store import Store
from tests.coach.patterns_season import Season


def answers_of(d: DebriefFact) -> dict[str, object]:
    """A DebriefFact as stored answers (step key -> value); empty ones are left out (skipped)."""
    out: dict[str, object] = {
        "stumbles": d.stumbles,
        "prep_gaps": d.prep_gaps,
        "strong": d.strong,
        "confidence": d.confidence,
        "unsure_claims": d.unsure_claims,
        "showed_interest": d.showed_interest,
        "one_thing": d.one_thing,
        "company": {"view": d.company_view, "note": d.company_note or ""} if d.company_view else None,
        "topics": list(d.topics) if d.topics else None,
        "questions": [{"question": q.question, "answer": q.answer, "check_later": q.check_later} for q in d.questions]
        or None,
    }
    return {k: v for k, v in out.items() if v is not None}


async def load_season(store: Store, user_id: int, s: Season) -> dict[int, int]:
    """Every interview, outcome, finished debrief, feedback and application of ``s`` for ``user_id``;
    returns season interview id -> stored id."""
    await store.users.ensure(user_id, s.interviews[0].starts_at)
    ids: dict[int, int] = {}
    async with store.transaction() as tx:
        for i in s.interviews:
            stored = await store.interviews.add(
                tx, user_id=user_id, company=i.company, stage=i.stage, starts_at=i.starts_at, now=i.starts_at
            )
            ids[i.id] = stored
            if i.outcome:
                await store.interviews.set_outcome(tx, user_id, stored, i.outcome, i.starts_at)
        for d in s.debriefs:
            iid = ids[d.interview_id]
            debrief_id = await store.debriefs.create(tx, user_id=user_id, interview_id=iid, step="one_thing", now=d.at)
            await store.debriefs.set_state(tx, user_id, debrief_id, from_state="open", to_state="aside", now=d.at)
            for step, value in answers_of(d).items():
                await store.debriefs.save_answer(tx, debrief_id, step, value, skipped=False, now=d.at)
            await store.debriefs.set_state(tx, user_id, debrief_id, from_state="aside", to_state="open", now=d.at)
            await store.debriefs.finish(tx, user_id, debrief_id, {}, d.at)
            await store.interviews.mark_debriefed(tx, user_id, iid, d.at)
    for f in s.feedback:
        await store.feedback.add(user_id=user_id, interview_id=ids[f.interview_id], text=f.text, now=f.at)
    for a in s.applications:
        await store.applications.add(user_id, a.count, a.at)
    return ids
