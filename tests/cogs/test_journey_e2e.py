"""Issue 11 end to end: the journey knows what the user already did (points 1, 2, 7 and 8).

Through the real bot and the fake Discord. Monday 23 Nov 2026 13:00 UTC is 14:00 in Berlin; the default
quiet hours are 22:00-08:00 local.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from fakediscord import FakeMessage
from tests.cogs._clicked import settled

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
SEND = "/channels/{channel_id}/messages"
HOW = "How did it go"
#: A runaway bound, about 100 times what these steps normally take.
RUNAWAY = 30


def at_step(n: int) -> Callable[[FakeMessage], bool]:
    return lambda m: f"step {n} of 12" in m.content and bool(m.buttons or m.selects)


def is_prompt(message: FakeMessage) -> bool:
    return HOW in message.content


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def log(world, user, company: str = "Acme", when: str = "5 hours ago", stage: str = "technical") -> int:
    h = await user.slash("interview log", company=company, when=when, stage=stage)
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


async def prompt_state(world, kind: str, interview_id: int) -> str:
    prompt = await world.store.prompts.find(kind, interview_id)
    assert prompt is not None
    return prompt.state


async def wait_until_state(world, interview_id: int, state: str, timeout: float = RUNAWAY) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await prompt_state(world, "debrief", interview_id) != state:
        if loop.time() > deadline:
            raise TimeoutError(f"the prompt did not become {state}")
        await asyncio.sleep(0.01)


async def wait_until(check: Callable[[], bool], timeout: float = RUNAWAY) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.02)


# -- 11.7: a prompt being sent accepts its own buttons ------------------------------------------------


async def held_prompt(world, fake):
    """Log a past interview and freeze the prompt's send after Discord stored it: the prompt is in the
    user's DM, and the dispatcher has not heard back yet, so the row is still ``claimed``."""
    hold = fake.hold("POST", SEND, stage="after")
    iid = await log(world, world.alice)
    await hold.wait_reached(RUNAWAY)
    await wait_until(lambda: any(is_prompt(m) for m in world.alice.dm_messages))
    assert await prompt_state(world, "debrief", iid) == "claimed"
    [prompt] = [m for m in world.alice.dm_messages if is_prompt(m)]
    return hold, iid, prompt


@pytest.mark.parametrize("order", ["clicked while the send is in flight", "clicked after the send is recorded"])
async def test_skip_works_on_a_prompt_being_sent_and_the_send_does_not_revive_it(world, fake, order):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    if order.startswith("clicked after"):
        hold.release()
        await world.idle(RUNAWAY)
        assert await prompt_state(world, "debrief", iid) == "sent"
    h = await world.alice.click(prompt, label="Skip")
    _kind, data = await h.response()
    hold.release()
    assert "already been dealt with" not in str(data)
    assert "Skipped." in prompt.content and prompt.buttons == []
    await world.idle(RUNAWAY)
    assert await prompt_state(world, "debrief", iid) == "cancelled"  # mark_sent did not bring it back


async def test_snooze_works_on_a_prompt_being_sent(world, fake):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    h = await world.alice.click(prompt, label="In 1 h")
    _kind, data = await h.response()
    hold.release()
    assert "already been dealt with" not in str(data)
    assert "Snoozed." in prompt.content and prompt.buttons == []
    await world.idle(RUNAWAY)
    row = await world.store.prompts.find("debrief", iid)
    assert (row.state, row.snoozes) == ("pending", 1)  # still snoozed: the finished send did not mark it sent
    world.advance(hours=1, minutes=1)
    again = await world.alice.wait_for_dm(predicate=lambda m: is_prompt(m) and m.id != prompt.id, timeout=RUNAWAY)
    assert again.buttons  # the snoozed prompt comes back, with its buttons


async def test_start_works_on_a_prompt_being_sent_and_the_prompt_is_done_with(world, fake):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    hold, iid, prompt = await held_prompt(world, fake)
    await world.alice.click(prompt, label="Start debrief")
    try:
        await world.alice.wait_for_dm(predicate=at_step(1), timeout=RUNAWAY)
    finally:
        hold.release()
    await world.idle(RUNAWAY)
    assert await prompt_state(world, "debrief", iid) == "cancelled"
    world.advance(hours=4)
    await world.idle(RUNAWAY)
    assert [m for m in world.alice.dm_messages if is_prompt(m)] == [prompt]


# -- 11.2: prompts reflect what the user already did ---------------------------------------------------


def prompts_of(user) -> list[FakeMessage]:
    return [m for m in user.dm_messages if m.buttons and any("snooze" in b[1] for b in m.buttons)]


async def test_a_debrief_started_before_its_prompt_cancels_the_prompt_even_mid_way(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid = await log(world, world.alice, when="1 hour ago")  # ends now; the prompt is due in an hour
    h = await world.alice.slash("debrief start", interview=str(iid))
    await h.wait_message()
    for n in range(2, 8):  # skip to step 7
        await world.alice.send_dm("skip")
        await world.alice.wait_for_dm(predicate=at_step(n), timeout=RUNAWAY)
    world.advance(hours=4)  # past the prompt's due time
    await world.idle(RUNAWAY)
    await asyncio.sleep(0.2)
    assert prompts_of(world.alice) == []
    assert await prompt_state(world, "debrief", iid) == "cancelled"


async def test_a_snoozed_prompt_that_fires_during_the_debrief_says_continue_where_you_left_off(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid = await log(world, world.alice)
    prompt = await world.alice.wait_for_dm(predicate=is_prompt, timeout=RUNAWAY)
    # The prompt is in the DM a moment before the bot hears Discord's answer and records the send; a debrief
    # started inside that moment takes the prompt as answered (see test_start_works_on_a_prompt_being_sent...).
    # This test is about a prompt already sent, so wait for the record.
    await wait_until_state(world, iid, "sent")
    h = await world.alice.slash("debrief start", interview=str(iid))  # started elsewhere, not from the prompt
    await h.wait_message()
    await world.alice.send_dm("skip")
    await world.alice.wait_for_dm(predicate=at_step(2), timeout=RUNAWAY)
    await (await world.alice.click(prompt, label="In 1 h")).response()  # the old prompt is still there

    world.advance(hours=1, minutes=1)
    again = await world.alice.wait_for_dm(predicate=lambda m: m.id != prompt.id and bool(m.buttons), timeout=RUNAWAY)
    assert "still fresh" not in again.content and HOW not in again.content
    assert "step 2 of 12" in again.content and "where you left off" in again.content
    assert again.buttons[0][0] == "Continue"
    await world.alice.click(again, label="Continue")
    resumed = await world.alice.wait_for_dm(predicate=at_step(2), timeout=RUNAWAY)
    assert resumed.id != again.id
    assert (await world.store.debriefs.for_interview(world.alice.id, iid)).step == "questions"


async def test_an_outcome_recorded_before_the_prompt_changes_its_wording(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid = await log(world, world.alice, when="1 hour ago")
    h = await world.alice.slash("interview outcome", interview=str(iid), result="rejected")
    await h.wait_message()
    world.advance(hours=4)  # past the prompt's due time
    await world.idle(RUNAWAY)
    [prompt] = prompts_of(world.alice)
    assert HOW not in prompt.content
    assert "recorded it as a no" in prompt.content and "Acme" in prompt.content


async def test_a_late_prompt_says_how_long_ago_the_interview_was(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    await log(world, world.alice)  # 08:00-09:00 Berlin today (technical, 60 min)
    prompt = await world.alice.wait_for_dm(predicate=is_prompt, timeout=RUNAWAY)
    assert "still fresh" in prompt.content  # 5 hours later, it is
    for _ in range(2):  # snoozed to tomorrow morning, twice
        await (await world.alice.click(prompt, label="Tomorrow morning")).response()
        world.advance(hours=24)
        prompt = await world.alice.wait_for_dm(
            predicate=lambda m, old=prompt: is_prompt(m) and m.id != old.id, timeout=RUNAWAY
        )
    assert "still fresh" not in prompt.content
    assert "hours ago" in prompt.content or "days ago" in prompt.content


# -- 11.1: a new interview is never swallowed by an open debrief ---------------------------------------

REPORT = "final round with Umbrella on Friday at 10am"
OTHER = "onsite with Initech on Thursday at 3pm"


async def open_debrief(world, user) -> tuple[int, FakeMessage]:
    iid = await log(world, user)
    h = await user.slash("debrief start", interview=str(iid))
    return iid, await h.wait_message()


async def test_an_interview_report_typed_during_a_debrief_is_asked_about_and_can_be_recorded(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid, _first = await open_debrief(world, world.alice)
    await world.alice.send_dm(REPORT)
    asked = await world.alice.wait_for_dm(predicate=lambda m: "Umbrella" in m.content, timeout=RUNAWAY)
    labels = [b[0] for b in asked.buttons]
    assert any("From arrival to goodbye" in label for label in labels), labels
    assert "Record as new interview" in labels
    debrief = await world.store.debriefs.for_interview(world.alice.id, iid)
    assert await world.store.debriefs.answers(debrief.id) == {}  # nothing saved blind
    assert [i.company for i in await world.store.interviews.list(world.alice.id)] == ["Acme"]

    await settled(await world.alice.click(asked, label="Record as new interview"))
    assert sorted(i.company for i in await world.store.interviews.list(world.alice.id)) == ["Acme", "Umbrella"]
    assert await world.store.debriefs.answers(debrief.id) == {}
    assert (await world.store.debriefs.for_interview(world.alice.id, iid)).state == "open"  # the debrief waits


async def test_the_report_can_be_saved_as_the_answer_and_a_stale_click_says_so(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid, _first = await open_debrief(world, world.alice)
    await world.alice.send_dm(REPORT)
    first_ask = await world.alice.wait_for_dm(predicate=lambda m: "Umbrella" in m.content, timeout=RUNAWAY)
    await world.alice.send_dm(OTHER)
    second_ask = await world.alice.wait_for_dm(predicate=lambda m: "Initech" in m.content, timeout=RUNAWAY)
    answer = next(b[0] for b in second_ask.buttons if "From arrival to goodbye" in b[0])

    await world.alice.click(second_ask, label=answer)
    await world.alice.wait_for_dm(predicate=at_step(2), timeout=RUNAWAY)
    debrief = await world.store.debriefs.for_interview(world.alice.id, iid)
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == OTHER
    assert second_ask.buttons == []

    await world.alice.click(first_ask, label=answer)  # step 1 is behind us now
    told = await world.alice.wait_for_dm(predicate=lambda m: "didn't save it there" in m.content, timeout=RUNAWAY)
    assert "Umbrella" in told.content  # the held words are given back
    assert first_ask.buttons == []
    assert (await world.store.debriefs.answers(debrief.id))["recall"].value == OTHER  # unchanged
    assert [i.company for i in await world.store.interviews.list(world.alice.id)] == ["Acme"]


# -- 11.8: check-ins and nudges say true things ---------------------------------------------------------


def is_checkin(message: FakeMessage) -> bool:
    return message.content.startswith("Checking in after")


@pytest.mark.coaching(ghosting_wait=timedelta(hours=4))
async def test_the_ghosting_nudge_says_how_long_it_has_really_been(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    await log(world, world.alice, when="1 hour ago")  # ends now
    world.advance(hours=4, minutes=1)
    nudge = await world.alice.wait_for_dm(predicate=lambda m: "Any news?" in m.content, timeout=RUNAWAY)
    assert "It's been 4 hours since your interview with Acme" in nudge.content
    assert "1 day" not in nudge.content


async def test_the_reset_list_comes_with_the_rejection_and_the_checkin_does_not_repeat_a_point(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    iid = await log(world, world.alice)
    h = await world.alice.slash("interview outcome", interview=str(iid), result="rejected")
    reply = await h.wait_message()
    assert "For this evening" in reply.content and "check it against what actually happened" in reply.content
    assert reply.content.index("For this evening") < reply.content.index("I'll check in")

    world.advance(hours=18, minutes=1)  # 08:01 Berlin tomorrow, when the check-in is due
    checkin = await world.alice.wait_for_dm(predicate=is_checkin, timeout=RUNAWAY)
    assert "check it against what actually happened" not in checkin.content  # the list went with the reply
    assert checkin.content.count("no single") <= 1


async def test_several_rejections_within_an_hour_bring_one_checkin_naming_every_company(world):
    world.clock.set(NOW)
    await berlin(world, world.alice)
    companies = ("Acme", "Globex", "Initech")
    ids_ = [await log(world, world.alice, company=c) for c in companies]
    replies = []
    for iid in ids_:
        h = await world.alice.slash("interview outcome", interview=str(iid), result="rejected")
        replies.append(await h.wait_message())
        world.advance(minutes=20)
    # Each rejection keeps its own reply, with the reset list for the evening.
    assert all("For this evening" in r.content and "I'll check in" in r.content for r in replies)

    world.advance(hours=20)  # past every window's end, in waking hours (10:00 Berlin tomorrow)
    first = await world.alice.wait_for_dm(predicate=is_checkin, timeout=RUNAWAY)
    await world.idle()
    await asyncio.sleep(0.3)
    world.advance(days=2)  # nothing more comes by itself
    await world.idle()
    await asyncio.sleep(0.3)
    checkins = [m for m in world.alice.dm_messages if is_checkin(m)]
    assert checkins == [first]
    assert all(c in first.content for c in companies)
    # The buttons work: the next-step select records a step.
    chosen = await world.alice.select(first, ["send_application"])
    await chosen.wait_followup()
    [saved] = await world.store.next_steps.for_user(world.alice.id)
    assert (saved.action, saved.interview_id) == ("send_application", ids_[0])


async def test_recording_a_folded_rejection_again_does_not_move_the_checkin(world):
    """A repeat of a rejection folded into another's check-in finds that check-in and moves nothing
    (found by the review of the fold)."""
    world.clock.set(NOW)
    await berlin(world, world.alice)
    first, second = [await log(world, world.alice, company=c) for c in ("Acme", "Globex")]
    for iid in (first, second):
        h = await world.alice.slash("interview outcome", interview=str(iid), result="rejected")
        await h.wait_message()
        world.advance(minutes=20)
    [checkin] = [p for p in await world.store.prompts.for_user(world.alice.id) if p.kind == "checkin"]
    world.clock.set(checkin.due_at - timedelta(minutes=30))  # still pending; a new window would end later
    h = await world.alice.slash("interview outcome", interview=str(second), result="rejected")  # again
    await h.wait_message()
    [again] = [p for p in await world.store.prompts.for_user(world.alice.id) if p.kind == "checkin"]
    assert (again.id, again.due_at) == (checkin.id, checkin.due_at)
