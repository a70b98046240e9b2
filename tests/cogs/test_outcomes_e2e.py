"""Issue 6 end to end: outcomes, the check-in after a rejection, ghosting nudges, feedback, applications.

Through the real bot and the fake Discord. Times: Tuesday 24 Nov 2026 12:00 UTC is 13:00 in Berlin; the
default quiet hours are 22:00-08:00 local.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.ui import ids
from fakediscord import FakeMessage

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 13:00 Berlin


def is_checkin(message: FakeMessage) -> bool:
    return message.content.startswith("Checking in after")


def is_nudge(message: FakeMessage) -> bool:
    return "Any news?" in message.content


def checkins(user) -> list[FakeMessage]:
    return [m for m in user.dm_messages if is_checkin(m)]


def nudges(user) -> list[FakeMessage]:
    return [m for m in user.dm_messages if is_nudge(m)]


def custom_ids(message: FakeMessage) -> list[str]:
    return [b[1] for b in message.buttons] + [s["custom_id"] for s in message.selects]


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def log(world, user, company: str, when: str = "5 hours ago", **options) -> int:
    h = await user.slash("interview log", company=company, when=when, stage="technical", **options)
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


async def outcome(user, iid: int, result: str, **where):
    h = await user.slash("interview outcome", interview=str(iid), result=result, **where)
    return h, await h.wait_message()


async def quiet_for(world, seconds: float = 0.3) -> None:
    await world.idle()
    await asyncio.sleep(seconds)


# -- /interview outcome -------------------------------------------------------------------------------


async def test_outcome_is_a_subcommand_of_interview_and_autocompletes_own_interviews(world):
    group = world.bot.tree.get_command("interview")
    assert group.get_command("outcome") is not None and group.get_command("log") is not None
    await berlin(world, world.alice)
    iid = await log(world, world.alice, "Acme")
    await log(world, world.alice, "Globex")
    choices = await world.alice.autocomplete("interview outcome", focused="interview", value="Ac")
    assert [c["value"] for c in choices] == [str(iid)] and "Acme" in choices[0]["name"]
    assert await world.bob.autocomplete("interview outcome", focused="interview", value="Ac") == []


async def test_someone_elses_interview_gets_a_clear_reply_and_changes_nothing(world):
    await berlin(world, world.alice)
    iid = await log(world, world.alice, "Acme")
    h, reply = await outcome(world.bob, iid, "rejected")
    assert h.ephemeral and "can't find that interview among yours" in reply.content
    h, reply = await outcome(world.bob, 0, "rejected", guild=world.guild)
    assert h.ephemeral and "can't find" in reply.content
    h = await world.bob.slash("interview outcome", interview="Acme", result="offer")
    assert "Pick the interview from the list" in (await h.wait_message()).content
    assert (await world.store.interviews.get(world.alice.id, iid)).outcome is None
    assert (await world.store.prompts.find("ghosting", iid)).state == "pending"
    assert await world.store.prompts.find("checkin", iid) is None


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_rejection_gets_the_reply_and_exactly_one_checkin_after_the_window_across_a_restart(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme", role="Backend engineer")
    h, reply = await outcome(world.alice, iid, "rejected")
    assert not h.ephemeral  # a DM conversation
    text = reply.content
    assert "Sorry about the Backend engineer role at Acme" in text
    assert "nothing to do with the candidate" in text and "an evening rather than a couple of weeks" in text
    # 13:00 + 14 h = 03:00 Berlin, inside quiet hours: the check-in comes at 08:00 Berlin.
    assert "I'll check in tomorrow 08:00" in text
    assert "Acme: Technical (Tue 24 Nov), rejected" in text
    assert [b[0] for b in reply.buttons] == ["Draft a feedback request"]
    due = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    prompt = await world.store.prompts.find("checkin", iid)
    assert (prompt.state, prompt.due_at) == ("pending", due)
    assert (await world.store.prompts.find("ghosting", iid)).state == "cancelled"

    await world.restart()
    world.clock.set(START + timedelta(hours=14, minutes=1))  # the end of the window, 03:01 Berlin
    await quiet_for(world)
    world.clock.set(due - timedelta(minutes=1))
    await quiet_for(world)
    assert checkins(world.alice) == []

    world.advance(minutes=1, seconds=1)
    checkin = await world.alice.wait_for_dm(predicate=is_checkin)
    assert checkin.content.startswith("Checking in after Acme.")
    assert "nothing else open" in checkin.content and "`/applications log`" in checkin.content
    assert "check it against what actually happened" not in checkin.content  # it came with the reply (11.8)
    assert "For this evening" in text and "check it against what actually happened" in text
    marker = ids.prompt_marker(prompt.id, 0)
    assert custom_ids(checkin) and all(cid.endswith(marker) for cid in custom_ids(checkin))
    options = [label for label, _ in checkin.selects[0]["options"]]
    assert options[:2] == ["Send one application today", "Ask for feedback"]
    assert [b[0] for b in checkin.buttons] == ["Check in again tomorrow"]
    await world.idle()
    assert (await world.store.prompts.find("checkin", iid)).state == "sent"

    # The reply's button still works after the restart.
    request = await world.alice.click(reply, label="Draft a feedback request")
    await request.wait_message()
    template = await request.wait_followup()  # the note, alone in its message
    assert "Acme" in template.content and "Backend engineer" in template.content

    # Exactly one: nothing more comes by itself.
    world.advance(days=2)
    await quiet_for(world)
    assert len(checkins(world.alice)) == 1


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_the_checkin_records_one_next_step_and_checks_in_again_only_when_asked(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    await log(world, world.alice, "Globex", when="tomorrow 10:00")
    await log(world, world.alice, "Initech", when="tomorrow 15:00")
    await outcome(world.alice, iid, "rejected")
    prompt = await world.store.prompts.find("checkin", iid)
    world.clock.set(prompt.due_at + timedelta(seconds=1))
    checkin = await world.alice.wait_for_dm(predicate=is_checkin)
    assert "2 other opportunities open" in checkin.content and "thin pipeline" not in checkin.content

    chosen = await world.alice.select(checkin, ["feedback_request"])
    step = await chosen.wait_followup()
    note = await chosen.wait_followup(2)
    assert "Acme" in step.content and "little or no feedback" in step.content
    assert "Thanks for letting me know" in note.content
    [saved] = await world.store.next_steps.for_user(world.alice.id)
    assert (saved.action, saved.interview_id) == ("feedback_request", iid)
    assert "Your next step: ask for feedback" in checkin.content
    assert checkin.selects == [] and [b[0] for b in checkin.buttons] == ["Check in again tomorrow"]

    again = await world.alice.click(checkin, label="Check in again tomorrow")
    await again.response()
    tomorrow = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    assert "I'll check in once more tomorrow 08:00" in checkin.content and checkin.buttons == []
    moved = await world.store.prompts.find("checkin", iid)
    assert (moved.state, moved.due_at, moved.snoozes) == ("pending", tomorrow, 1)

    world.clock.set(tomorrow + timedelta(seconds=1))
    second = await world.alice.wait_for_dm(predicate=is_checkin)
    assert all(cid.endswith(ids.prompt_marker(prompt.id, 1)) for cid in custom_ids(second))
    world.advance(days=2)
    await quiet_for(world)
    assert len(checkins(world.alice)) == 2


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_turning_checkins_off_cancels_the_pending_one_and_schedules_none(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    first = await log(world, world.alice, "Acme")
    await outcome(world.alice, first, "rejected")
    assert (await world.store.prompts.find("checkin", first)).state == "pending"
    h = await world.alice.slash("settings check-ins", on=False)
    assert "cancelled the one that was waiting" in (await h.wait_message()).content
    assert (await world.store.prompts.find("checkin", first)).state == "cancelled"

    second = await log(world, world.alice, "Globex")
    _, reply = await outcome(world.alice, second, "rejected")
    assert "Check-ins after a rejection are off" in reply.content and "I'll check in" not in reply.content
    assert await world.store.prompts.find("checkin", second) is None

    world.clock.set(START + timedelta(days=2))
    await quiet_for(world)
    assert checkins(world.alice) == []


async def test_in_a_server_every_reply_is_ephemeral(world):
    await berlin(world, world.bob)
    iid = await log(world, world.bob, "Acme")
    general = world.guild.channel("general")
    h, reply = await outcome(world.bob, iid, "rejected", guild=world.guild, channel=general)
    assert h.ephemeral and "Acme" in reply.content
    request = await world.bob.click(reply, label="Draft a feedback request")
    await request.wait_message()
    assert request.ephemeral and (await request.wait_followup()).visible_to is not None
    for command, options in (
        ("feedback request", {"interview": str(iid)}),
        ("feedback add", {"interview": str(iid), "text": "Wanted more depth"}),
        ("applications log", {"count": 2}),
    ):
        h = await world.bob.slash(command, guild=world.guild, channel=general, **options)
        await h.wait_message()
        assert h.ephemeral, command
    assert [m for m in general.messages if m.visible_to is None] == []


async def test_advanced_keeps_the_process_open_and_suggests_logging_the_next_round(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    _, reply = await outcome(world.alice, iid, "advanced")
    assert "still open" in reply.content and "`/interview log`" in reply.content
    assert (await world.store.prompts.find("ghosting", iid)).state == "cancelled"
    assert await world.store.interviews.open_opportunities(world.alice.id) == 1
    nxt = await log(world, world.alice, "Acme", when="tomorrow 10:00")
    world.clock.set(START + timedelta(days=1, hours=2))  # after that round (an offer before it asks first)
    _, reply = await outcome(world.alice, nxt, "offer")
    assert "An offer from **Acme** after 2 rounds" in reply.content
    assert "Acme: Technical (Tue 24 Nov) → Technical (Wed 25 Nov), offer" in reply.content


# -- the ghosting nudge -------------------------------------------------------------------------------


@pytest.mark.coaching(ghosting_wait=timedelta(days=10))
async def test_the_ghosting_nudge_comes_once_after_the_wait_and_its_buttons_record_the_outcome(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")  # 08:00-09:00 Berlin
    due = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # ten days after it ended, 09:00 Berlin
    prompt = await world.store.prompts.find("ghosting", iid)
    assert prompt.due_at == due

    world.clock.set(due - timedelta(minutes=1))
    await quiet_for(world)
    assert nudges(world.alice) == []
    world.advance(minutes=1, seconds=1)
    nudge = await world.alice.wait_for_dm(predicate=is_nudge)
    assert "10 days since your interview with Acme (Technical)" in nudge.content
    assert [b[0] for b in nudge.buttons] == ["Next round", "Offer", "Rejected", "Ghosted", "Withdrew"]
    assert all(cid.endswith(ids.prompt_marker(prompt.id, 0)) for cid in custom_ids(nudge))

    await world.restart()  # the buttons are persistent
    clicked = await world.alice.click(nudge, label="Ghosted")
    answer = await clicked.wait_followup()
    assert "Marked **Acme** as ghosted" in answer.content
    assert (await world.store.interviews.get(world.alice.id, iid)).outcome == "ghosted"
    assert "Recorded: ghosted (no reply)" in nudge.content and nudge.buttons == []
    assert await world.store.prompts.find("checkin", iid) is None

    world.advance(days=5)
    await quiet_for(world)
    assert len(nudges(world.alice)) == 1


@pytest.mark.coaching(ghosting_wait=timedelta(days=10), reset_window=timedelta(hours=14))
async def test_rejected_on_the_nudge_starts_the_reset_window(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    world.clock.set((await world.store.prompts.find("ghosting", iid)).due_at + timedelta(seconds=1))
    nudge = await world.alice.wait_for_dm(predicate=is_nudge)
    clicked = await world.alice.click(nudge, label="Rejected")
    answer = await clicked.wait_followup()
    assert "Sorry about Acme" in answer.content and "I'll check in" in answer.content
    assert (await world.store.prompts.find("checkin", iid)).state == "pending"


@pytest.mark.coaching(ghosting_wait=timedelta(days=10))
async def test_an_outcome_recorded_first_cancels_the_nudge(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    iid = await log(world, world.alice, "Acme")
    await outcome(world.alice, iid, "withdrew")
    assert (await world.store.prompts.find("ghosting", iid)).state == "cancelled"
    world.clock.set(START + timedelta(days=11))
    await quiet_for(world)
    assert nudges(world.alice) == []


# -- feedback and applications ------------------------------------------------------------------------


async def test_feedback_request_names_the_company_and_sets_expectations(world):
    await berlin(world, world.alice)
    h = await world.alice.slash("feedback request")
    assert "haven't logged any interviews" in (await h.wait_message()).content
    iid = await log(world, world.alice, "Acme", role="Data engineer")
    await log(world, world.alice, "Globex", when="2 hours ago")
    await outcome(world.alice, iid, "rejected")
    for options in ({}, {"interview": str(iid)}):  # without an interview: the latest rejection
        h = await world.alice.slash("feedback request", **options)
        reply = await h.wait_message()
        note = await h.wait_followup()
        assert "**Acme**" in reply.content and "legal or HR policy" in reply.content
        assert "the Data engineer role" in note.content and "```" not in note.content


async def test_feedback_add_asks_about_control_and_counts_similar_feedback(world):
    await berlin(world, world.alice)
    acme = await log(world, world.alice, "Acme")
    globex = await log(world, world.alice, "Globex")
    h = await world.alice.slash("feedback add", interview=str(acme), text="Needed more depth on system design.")
    reply = await h.wait_message()
    assert "Saved the feedback from **Acme**" in reply.content and "one data point" in reply.content
    assert [b[0] for b in reply.buttons] == ["Something I can work on", "Outside my control", "Not sure yet"]
    clicked = await world.alice.click(reply, label="Something I can work on")
    await clicked.response()
    assert "Marked: “Something I can work on”." in reply.content and reply.buttons == []
    [saved] = await world.store.feedback.for_interview(world.alice.id, acme)
    assert saved.control == "within_control"

    h = await world.alice.slash("feedback add", interview=str(globex), text="Architecture answers stayed shallow")
    reply = await h.wait_message()
    assert "second time a comment like this" in reply.content and "earlier feedback from Acme" in reply.content


async def test_feedback_bad_input_gets_a_clear_reply_and_saves_nothing(world):
    await berlin(world, world.alice)
    iid = await log(world, world.alice, "Acme")
    h = await world.alice.slash("feedback add", interview=str(iid), text="x" * 4001)
    reply = await h.wait_message()
    assert h.ephemeral and "the limit is 4,000" in reply.content
    h = await world.bob.slash("feedback add", interview=str(iid), text="not mine")
    assert "among yours" in (await h.wait_message()).content
    assert await world.store.feedback.for_user(world.alice.id) == []
    assert await world.store.feedback.for_user(world.bob.id) == []


async def test_applications_log_states_the_weeks_running_total(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("applications log", count=3)
    assert "Logged 3 applications. This week so far: **3**" in (await h.wait_message()).content
    h = await world.alice.slash("applications log", count=1)
    assert "Logged 1 application. This week so far: **4**" in (await h.wait_message()).content
    h = await world.alice.slash("applications log", count=0)
    reply = await h.wait_message()
    assert h.ephemeral and "between 1 and 200" in reply.content
    world.clock.set(START + timedelta(days=7))  # next Tuesday: a new week
    h = await world.alice.slash("applications log", count=2)
    assert "This week so far: **2**" in (await h.wait_message()).content


@pytest.mark.coaching(reset_window=timedelta(seconds=10))
async def test_an_operators_short_reset_window_is_taken_as_configured(world):
    """Operators may set "10s" to try the bot; only users' own choices are bounded to 4-48 h."""
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    await berlin(world, world.alice)
    iid = await log(world, world.alice, "Acme")
    await outcome(world.alice, iid, "rejected")
    due = (await world.store.prompts.find("checkin", iid)).due_at
    assert timedelta(0) < due - world.clock.now() <= timedelta(seconds=11)
