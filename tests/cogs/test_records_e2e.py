"""Issue 11.5 and 11.6 end to end: editing "Other" interviews, the pageable list, an interview's card
from the list with every action, the states the list shows, and correcting an application count.

Through the real bot and the fake Discord.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fakediscord import FakeMessage

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday


async def utc(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "UTC")


async def log(user, company: str, when: str = "5 hours ago", stage: str = "technical", **where) -> FakeMessage:
    h = await user.slash("interview log", company=company, when=when, stage=stage, **where)
    return await h.wait_message()


async def newest_id(world, user) -> int:
    return max(i.id for i in await world.store.interviews.list(user.id, limit=1000))


# -- 11.5 "Other" interviews can be edited --------------------------------------------------------------


async def test_an_other_interview_can_be_edited_with_its_prefilled_form(world):
    await utc(world, world.alice)
    world.clock.set(START)
    reply = await log(world.alice, "Weird Co", when="tomorrow 10:00", stage="other")
    iid = await newest_id(world, world.alice)
    edit = await world.alice.click(reply, label="Edit")
    await edit.response()
    assert edit.modal is not None
    saved = await edit.submit_modal({"Company": "Weird Co Ltd"})  # the stage field keeps "Other"
    text = (await saved.wait_message()).content
    assert "Saved: **Weird Co Ltd**" in text, text
    interview = await world.store.interviews.get(world.alice.id, iid)
    assert (interview.company, interview.stage) == ("Weird Co Ltd", "other")
