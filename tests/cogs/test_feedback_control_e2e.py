"""Issue 12 end to end: stock "better fit" rejections are not called a pattern to fix.

Through the real bot and the fake Discord, as a user typing `/feedback add` twice.
"""

from __future__ import annotations


async def _log(world, user, company: str) -> int:
    h = await user.slash("interview log", company=company, when="5 hours ago", stage="technical")
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


async def test_two_better_fit_rejections_are_not_a_pattern_to_fix(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "Europe/Berlin")
    acme = await _log(world, world.alice, "Acme")
    globex = await _log(world, world.alice, "Globex")
    h = await world.alice.slash(
        "feedback add", interview=str(acme), text="We decided to go with a candidate who was a closer fit."
    )
    first = await h.wait_message()
    assert "one data point" in first.content
    h = await world.alice.slash(
        "feedback add", interview=str(globex), text="Another candidate was a better fit for the team right now."
    )
    second = await h.wait_message()
    assert "Saved the feedback from **Globex**" in second.content
    assert "pattern" not in second.content and "focused fix" not in second.content
    assert "Counted as alike" not in second.content
    assert len(await world.store.feedback.for_user(world.alice.id)) == 2
