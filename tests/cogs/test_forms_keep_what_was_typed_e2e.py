"""Issue 16 (part B): a form with bad fields reports every bad field at once, and the form it re-opens
keeps what was typed. Every modal of the interview area (edit an interview, fix a draft), through the
real bot and the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.cogs.test_interviews_e2e import log, set_zone


def defaults(modal: dict) -> dict[str, str | None]:
    """label -> the value the form opens with."""
    found: dict[str, str | None] = {}
    for row in modal["components"]:
        for item in row.get("components") or [row.get("component") or {}]:
            found[item.get("label") or item.get("custom_id")] = item.get("value")
    return found


BAD = {
    "Company": "Globex",  # good: kept
    "When (your time)": "someday soon",  # bad
    "Stage": "karaoke",  # bad
    "Role (optional)": "Data engineer",  # good: kept
    "Length in minutes": "9999",  # bad: past the longest interview
}


async def submit_bad_then_fix(world, opened):
    await opened.response()
    assert opened.modal is not None
    failed = await opened.submit_modal(BAD)
    reply = await failed.wait_message()
    # every bad field at once, each by its label, and none of the good ones
    assert "3 fields need fixing" in reply.content
    for label in ("When", "Stage", "Length"):
        assert f"**{label}" in reply.content, (label, reply.content)
    assert "**Company" not in reply.content and "**Role" not in reply.content
    again = await world.alice.click(reply, label="Fix the form")
    await again.response()
    assert again.modal is not None
    assert defaults(again.modal) == BAD  # what was typed, good and bad, ready to correct
    return await again.submit_modal(
        {"When (your time)": "tomorrow 15:00", "Stage": "technical", "Length in minutes": "45"}
    )


async def test_the_edit_form_reports_every_bad_field_and_reopens_with_what_was_typed(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    saved = await submit_bad_then_fix(world, await world.alice.click(reply, label="Edit"))
    assert "Globex" in (await saved.wait_message()).content
    [interview] = await world.store.interviews.list(world.alice.id)
    assert (interview.company, interview.role, interview.stage, interview.length_min) == (
        "Globex",
        "Data engineer",
        "technical",
        45,
    )
    assert interview.starts_at == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


async def test_the_draft_form_reports_every_bad_field_and_reopens_with_what_was_typed(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await world.alice.send_dm("final round with Acme on Thursday at 3pm")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Acme" in m.content)
    saved = await submit_bad_then_fix(world, await world.alice.click(offer, label="Fix the details"))
    await saved.wait_message()
    [interview] = await world.store.interviews.list(world.alice.id)
    assert (interview.company, interview.role, interview.length_min) == ("Globex", "Data engineer", 45)


async def test_one_bad_field_is_named_alone(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    opened = await world.alice.click(reply, label="Edit")
    await opened.response()
    failed = await opened.submit_modal({"Stage": "karaoke"})
    text = (await failed.wait_message()).content
    assert "1 field needs fixing" in text and "**Stage" in text and "**When" not in text
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.stage == "technical"  # nothing was changed


# -- the debrief's forms ------------------------------------------------------------------------------


async def debrief_at_step(world, n: int):
    from tests.cogs.test_debrief_e2e import NOW, at_step, is_prompt, past_interview
    from tests.cogs.test_debrief_e2e import set_zone as debrief_zone

    alice = world.alice
    world.clock.set(NOW)
    await debrief_zone(world, alice)
    await past_interview(world, alice)
    prompt = await alice.wait_for_dm(predicate=is_prompt)
    await alice.click(prompt, label="Start debrief")
    step = await alice.wait_for_dm(predicate=at_step(1))
    if n == 2:
        await alice.click(step, label="Skip")
        step = await alice.wait_for_dm(predicate=at_step(2))
    return step


async def test_the_question_form_reopens_with_the_answer_and_the_check_mark_kept(world):
    step = await debrief_at_step(world, 2)
    h = await world.alice.click(step, label="Add a question")
    await h.response()
    typed = {"The question": "???", "Your answer, roughly": "Buckets, then vague on collisions"}
    failed = await h.submit_modal({**typed, "Check this answer later": True})
    reply = await failed.wait_message()
    assert "The question needs some words" in reply.content
    again = await world.alice.click(reply, label="Fix the form")
    await again.response()
    shown = defaults(again.modal)
    assert shown["question"] == "???" and shown["qa"] == typed["Your answer, roughly"]
    [check] = [
        row["component"] for row in again.modal["components"] if row.get("component", {}).get("custom_id") == "check"
    ]
    assert check.get("default") is True
    added = await again.submit_modal({"The question": "How does a hash map work?"})
    await added.response()
    line = "How does a hash map work? — Buckets, then vague on collisions *(check later)*"
    shown = await world.alice.wait_for_dm(predicate=lambda m: line in m.content)
    assert shown.buttons
    await world.fake.state.changes.wait_until(lambda: step.buttons == [] or None, 5)  # only the new one answers
    assert "Fixed and saved" in reply.content and reply.buttons == []


async def test_the_answer_form_reopens_with_what_was_typed(world):
    step = await debrief_at_step(world, 1)
    h = await world.alice.click(step, label="Write it")
    await h.response()
    failed = await h.submit_modal({"Your answer": "🙂 !!"})
    reply = await failed.wait_message()
    again = await world.alice.click(reply, label="Fix the form")
    await again.response()
    assert defaults(again.modal)["Your answer"] == "🙂 !!"


# -- after a restart ----------------------------------------------------------------------------------
# What was typed is kept in memory only (for Discord's 15 minutes): a click after a restart says so and
# offers the form again, filled in as saved, not "This interaction failed".


async def fix_after_restart(world, reply):
    await world.restart()
    lost = await world.alice.click(reply, label="Fix the form")
    message = await lost.wait_message()
    assert lost.ephemeral is not False
    assert "restarted" in message.content and "Open the form" in message.content
    opened = await world.alice.click(message, label="Open the form")
    await opened.response()
    assert opened.modal is not None
    return opened


async def test_fix_the_form_after_a_restart_says_so_and_opens_the_edit_form_again(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    opened = await world.alice.click(reply, label="Edit")
    await opened.response()
    failed = await opened.submit_modal(BAD)
    fixing = await failed.wait_message()
    again = await fix_after_restart(world, fixing)
    assert defaults(again.modal)["Company"] == "Hooli"  # as saved: what was typed is gone
    saved = await again.submit_modal({"Company": "Globex"})
    assert "Globex" in (await saved.wait_message()).content
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == "Globex"


async def test_fix_the_form_after_a_restart_opens_the_draft_form_again(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await world.alice.send_dm("final round with Acme on Thursday at 3pm")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Acme" in m.content)
    opened = await world.alice.click(offer, label="Fix the details")
    await opened.response()
    failed = await opened.submit_modal(BAD)
    again = await fix_after_restart(world, await failed.wait_message())
    assert defaults(again.modal)["Company"] == "Acme"
    await (await again.submit_modal({})).wait_message()
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == "Acme"


async def test_fix_the_form_after_a_restart_opens_the_debrief_answer_form_again(world):
    step = await debrief_at_step(world, 1)
    h = await world.alice.click(step, label="Write it")
    await h.response()
    failed = await h.submit_modal({"Your answer": "🙂 !!"})
    again = await fix_after_restart(world, await failed.wait_message())
    assert not defaults(again.modal).get("answer")  # what was typed is gone
