"""Issue 16, reading fixes, end to end: a company written in lower case is recognised; "at 3pm" sent late
in the evening asks whether tomorrow is meant; "next Tuesday" said early in a week is the Tuesday of next
week (and asks where that is genuinely ambiguous); "maybe" answers a yes / no / not sure step.

Monday 23 Nov 2026; Berlin is UTC+1.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fakediscord import FakeMessage
from tests.cogs._clicked import settled

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Mon 10:00 Berlin


def offered(message: FakeMessage) -> bool:
    return message.content.startswith("That sounds like")


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def test_a_company_in_lower_case_is_recognised(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    await alice.send_dm("onsite at google tomorrow 3pm")
    said = await alice.wait_for_dm(predicate=offered)
    assert "with **google**, tomorrow 15:00" in said.content, said.content
    click = await alice.click(said, label="Yes, record it")
    await settled(click)
    [interview] = await world.store.interviews.list(alice.id)
    assert interview.company == "google"


async def test_at_3pm_sent_late_in_the_evening_asks_whether_tomorrow_is_meant(world):
    alice = world.alice
    world.clock.set(datetime(2026, 11, 23, 21, 12, tzinfo=UTC))  # 22:12 Berlin
    await berlin(world, alice)
    await alice.send_dm("final round with Acme at 3pm")
    said = await alice.wait_for_dm(predicate=offered)
    assert "did you mean tomorrow 15:00" in said.content, said.content
    assert [b[0] for b in said.buttons][:2] == ["Tomorrow 15:00", "Yes, today 15:00"]
    assert await world.store.interviews.list(alice.id) == []  # nothing before the click
    click = await alice.click(said, label="Tomorrow 15:00")
    await settled(click)
    [interview] = await world.store.interviews.list(alice.id)
    assert interview.starts_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


async def test_at_3pm_said_as_past_news_late_in_the_evening_is_today(world):
    alice = world.alice
    world.clock.set(datetime(2026, 11, 23, 21, 12, tzinfo=UTC))
    await berlin(world, alice)
    await alice.send_dm("had my final round with Acme at 3pm")
    said = await alice.wait_for_dm(predicate=offered)
    assert "today 15:00" in said.content and "tomorrow" not in said.content


async def test_next_tuesday_said_on_a_monday_is_the_tuesday_of_next_week(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    await alice.send_dm("final round with Acme next Tuesday 3pm")
    said = await alice.wait_for_dm(predicate=offered)
    assert "Tue 1 Dec 15:00" in said.content, said.content
    h = await alice.slash("interview log", company="Globex", when="next tuesday 10:00", stage="technical")
    reply = await h.wait_message()
    assert "Tue 1 Dec 10:00" in reply.content, reply.content


async def test_next_saturday_said_on_a_thursday_asks_which_one(world):
    alice = world.alice
    world.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thu 10:00 Berlin
    await berlin(world, alice)
    h = await alice.slash("interview log", company="Globex", when="next saturday 10:00", stage="technical")
    reply = await h.wait_message()
    assert "Sat 28 Nov" in reply.content and "Sat 5 Dec" in reply.content, reply.content
    assert await world.store.interviews.list(alice.id) == []
    await alice.send_dm("final round with Acme next Saturday 10am")
    said = await alice.wait_for_dm(predicate=offered)
    assert "Sat 28 Nov" in said.content and "Sat 5 Dec" in said.content, said.content


async def test_maybe_answers_a_yes_no_not_sure_step(world):
    alice = world.alice
    world.clock.set(MONDAY)
    await berlin(world, alice)
    h = await alice.slash("interview log", company="Acme", when="3 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(alice.id)
    h = await alice.slash("debrief start", interview=str(interview.id))
    await h.wait_message()
    for step in range(1, 8):
        await alice.send_dm("skip")
        await alice.wait_for_dm(predicate=lambda m, n=step + 1: f"step {n} of 12" in m.content, timeout=15.0)
    await alice.send_dm("Maybe?")
    await alice.wait_for_dm(predicate=lambda m: "step 9 of 12" in m.content, timeout=15.0)
    await alice.send_dm("maybe, I think so")
    await alice.wait_for_dm(predicate=lambda m: "step 10 of 12" in m.content, timeout=15.0)
    debrief = await world.store.debriefs.for_interview(alice.id, interview.id)
    stored = {k: a.value for k, a in (await world.store.debriefs.answers(debrief.id)).items()}
    assert stored["unsure_claims"] == "unsure" and stored["showed_interest"] == "unsure"
