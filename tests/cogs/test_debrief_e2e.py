"""Issue 5 end to end: the guided debrief in DM, through the real bot and the fake Discord.

Buttons, selects, forms and typed replies; a restart in the middle; a stale double click; setting a
debrief aside for another; editing a finished one; the summary card.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakediscord import FakeDiscord, FakeMessage
from tests import pg
from tests.cogs._debrief_steps import wait_until
from tests.procs import BotProcess

#: These run on both engines (tests/pg.py).
engine = pytest.fixture(params=pg.ENGINES)(lambda request: request.param)

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin

RECALL = "Joined five minutes early. Intro round: I talked about my bootcamp capstone and why backend."
STRONG = "The capstone walkthrough: I had numbers ready and kept it in order."
STUMBLES = "Blanked on LEFT vs INNER join in the SQL follow-up."
SOFT = "Friendly welcome; I was tense for ten minutes, then relaxed."
ONE = "Rehearse the conflict story down to two minutes"
COMPANY_NOTE = "Nice people, but the on-call rota sounded brutal"


def at_step(n: int) -> Callable[[FakeMessage], bool]:
    return lambda m: f"step {n} of 12" in m.content and bool(m.buttons or m.selects)


def is_prompt(message: FakeMessage) -> bool:
    return "How did it go" in message.content


def has_card(message: FakeMessage) -> bool:
    return bool(message.embeds)


def fields(message: FakeMessage) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}


async def set_zone(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def past_interview(world, user, company: str = "Acme", when: str = "5 hours ago") -> int:
    """Log an interview through /interview log (in DM) and return its id."""
    h = await user.slash("interview log", company=company, when=when, stage="technical")
    await h.wait_message()
    [found] = await world.store.interviews.search(user.id, company)
    return found.id


async def answers(world, user, interview_id: int) -> dict:
    debrief = await world.store.debriefs.for_interview(user.id, interview_id)
    return {k: (None if a.skipped else a.value) for k, a in (await world.store.debriefs.answers(debrief.id)).items()}


async def start_in(user, interview_id: int) -> FakeMessage:
    """/debrief start in the DM; the reply is the first step."""
    h = await user.slash("debrief start", interview=str(interview_id))
    return await h.wait_message()


async def type_to(user, text: str, step: int) -> FakeMessage:
    """Type a reply in DM and wait for the message of step ``step`` (a typed reply is answered with a REST
    send and an edit, both paced under the global limit: on a loaded 2-core CI machine a walk of twelve
    steps once took more than the default 5 s for one of them, so the bound is a runaway bound of 15 s)."""
    await user.send_dm(text)
    return await user.wait_for_dm(15.0, predicate=at_step(step))


async def tracked(world, user, interview_id: int, message: FakeMessage) -> None:
    """Wait until the bot has recorded ``message`` as the one showing the current step."""
    for _ in range(250):
        debrief = await world.store.debriefs.for_interview(user.id, interview_id)
        if debrief.message_id == message.id:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError("the step message was not recorded")


async def click_to(user, message: FakeMessage, label: str, step: int) -> FakeMessage:
    """Click ``label`` on a step's message and wait for the message of step ``step``."""
    await user.click(message, label=label)
    return await user.wait_for_dm(predicate=at_step(step))


async def test_a_full_debrief_through_buttons_selects_forms_and_typed_replies(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    prompt = await alice.wait_for_dm(predicate=is_prompt)
    await alice.click(prompt, label="Start debrief")
    first = await alice.wait_for_dm(predicate=at_step(1))
    assert prompt.buttons == []  # the prompt's snooze and skip are gone once the debrief started
    assert "From arrival to goodbye" in first.content and "Acme" in first.content
    assert [b[0] for b in first.buttons] == ["Write it", "Skip"]

    # 1. Free recall, in a form.
    h = await alice.click(first, label="Write it")
    await h.response()
    assert h.modal["title"] == "From arrival to goodbye"
    await h.submit_modal({"Your answer": RECALL})
    second = await alice.wait_for_dm(predicate=at_step(2))
    assert (await answers(world, alice, iid))["recall"] == RECALL  # stored the moment it was given
    assert first.buttons == [] and "Saved" in first.content and RECALL[:30] in first.content

    # 2. Questions, one form each, one flagged to check later; the step stays until "That's all".
    h = await alice.click(second, label="Add a question")
    await h.response()
    added = await h.submit_modal(
        {
            "The question": "How does a hash map work?",
            "Your answer, roughly": "Buckets",
            "Check this answer later": True,
        }
    )
    await added.response()  # the buttons off at once; the step with the question once it is saved
    await wait_until(lambda: "How does a hash map work? — Buckets *(check later)*" in second.content)
    await wait_until(lambda: bool(second.buttons))
    h = await alice.click(second, label="Add a question")
    await h.response()
    await (await h.submit_modal({"The question": "Why do you want to work here?"})).response()
    await wait_until(lambda: "So far (2 questions)" in second.content and bool(second.buttons))
    await alice.click(second, label="That's all")
    third = await alice.wait_for_dm(predicate=at_step(3))

    # 3. What felt strong, typed as a DM reply: the step's buttons come off.
    fourth = await type_to(alice, STRONG, 4)
    await wait_until(lambda: third.buttons == [])

    # 4. Back one step shows step 3 again with its answer; keep it and go on.
    back = await alice.click(fourth, label="Back")
    await back.response()  # the buttons off at once; the step before once the move is written
    await wait_until(lambda: "step 3 of 12" in fourth.content and bool(fourth.buttons))
    assert "step 3 of 12" in fourth.content and STRONG[:30] in fourth.content
    await alice.click(fourth, label="Keep and go on")
    fourth = await alice.wait_for_dm(predicate=at_step(4))
    fifth = await type_to(alice, STUMBLES, 5)

    # 5. Skipped with the button; 6. typed.
    await alice.click(fifth, label="Skip")
    await alice.wait_for_dm(predicate=at_step(6))
    assert "Skipped" in fifth.content
    seventh = await type_to(alice, SOFT, 7)
    assert "Saved." in seventh.content

    # 7. Confidence and 8. unsure claims: buttons; 9. interest: typed.
    assert [b[0] for b in seventh.buttons][:5] == ["1", "2", "3", "4", "5"]
    await alice.click(seventh, label="4")
    eighth = await alice.wait_for_dm(predicate=at_step(8))
    assert "Saved: 4 of 5" in seventh.content
    await alice.click(eighth, label="Not sure")
    await alice.wait_for_dm(predicate=at_step(9))
    tenth = await type_to(alice, "yes", 10)

    # 10. Topics from the select; 11. what they made of the company: a form with the view and a note;
    # 12. the one thing, in a form.
    assert [o[1] for o in tenth.selects[0]["options"]][:3] == ["coding", "algorithms", "system_design"]
    await alice.select(tenth, ["coding", "nerves"])
    eleventh = await alice.wait_for_dm(predicate=at_step(11))
    assert "Coding, Nerves" in tenth.content
    assert [b[0] for b in eleventh.buttons][:4] == ["Keen", "Not sure", "Not for me", "Add a note"]
    assert "two-way fit" in eleventh.content and "'Not for me' is a legitimate conclusion" in eleventh.content
    h = await alice.click(eleventh, label="Add a note")
    await h.response()
    await h.submit_modal({"What you made of them": "not_for_me", "Why, in a line (optional)": COMPANY_NOTE})
    twelfth = await alice.wait_for_dm(predicate=at_step(12))
    assert "Saved:" in eleventh.content and f"Not for me: {COMPANY_NOTE}" in eleventh.content
    assert (await answers(world, alice, iid))["company"] == {"view": "not_for_me", "note": COMPANY_NOTE}
    h = await alice.click(twelfth, label="Write it")
    await h.response()
    await h.submit_modal({"Your answer": ONE})

    # The summary card holds what was entered.
    card = await alice.wait_for_dm(predicate=has_card)
    assert "debrief done" in card.content and ONE in card.content
    shown = fields(card)
    assert shown["What felt strong"] == STRONG
    assert shown["Where you stumbled"] == STUMBLES
    assert shown["Topics"] == "Coding, Nerves"
    assert shown["The one thing to change"] == ONE
    assert shown["What you made of them"] == f"Not for me: {COMPANY_NOTE}"
    assert "Confidence 4 of 5." in shown["The human side"] and SOFT in shown["The human side"]
    assert "How does a hash map work?" in shown["Answers to check"]
    assert "Prep that didn't hold up" not in shown  # skipped
    assert card.embeds[0]["title"] == "Debrief: Acme"

    stored = await answers(world, alice, iid)
    assert stored["questions"] == [
        {"question": "How does a hash map work?", "answer": "Buckets", "check_later": True},
        {"question": "Why do you want to work here?", "answer": "", "check_later": False},
    ]
    assert stored["prep_gaps"] is None and stored["confidence"] == 4 and stored["unsure_claims"] == "unsure"
    assert stored["showed_interest"] == "yes" and stored["topics"] == ["coding", "nerves"]
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.state == "done" and debrief.summary["one_thing"] == ONE
    assert (await world.store.interviews.get(alice.id, iid)).debriefed_at is not None
    assert (await world.store.prompts.find("debrief", iid)).state in ("sent", "cancelled")
    focus = await world.store.debriefs.active_focus(alice.id)
    assert (focus.text, focus.interview_id) == (ONE, iid)


async def test_an_interrupted_debrief_resumes_after_restarts_with_its_buttons_and_forms_working(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    first = await start_in(alice, iid)
    assert "step 1 of 12" in first.content
    await type_to(alice, RECALL, 2)
    await wait_until(lambda: first.buttons == [])  # answered by typing: its buttons came off
    third = await type_to(alice, "Q: What is REST? A: resources and verbs [check]\nTell me about yourself", 3)
    form = await alice.click(third, label="Write it")
    await form.response()

    await world.restart()  # the form is still open on the user's screen

    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.state == "open" and debrief.step == "strong"
    before = await answers(world, alice, iid)
    assert before["recall"] == RECALL and len(before["questions"]) == 2
    await form.submit_modal({"Your answer": STRONG})
    fourth = await alice.wait_for_dm(predicate=at_step(4))
    assert (await answers(world, alice, iid))["strong"] == STRONG

    await world.restart()

    await alice.click(fourth, label="Skip")  # a button sent before the restart
    fifth = await alice.wait_for_dm(predicate=at_step(5))
    await tracked(world, alice, iid, fifth)  # the bot is done with the click (a clean stop doesn't wait)
    await world.restart()
    await alice.send_dm("debrief")  # where was I?
    again = await alice.wait_for_dm(predicate=at_step(5))
    assert "Picking up where you left off" in again.content
    await wait_until(lambda: fifth.buttons == [])
    after = await answers(world, alice, iid)
    assert after == {**before, "strong": STRONG, "stumbles": None}


async def test_a_stale_double_click_answers_once_and_says_so(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    seventh = await start_in(alice, iid)
    for n in range(2, 8):
        seventh = await click_to(alice, seventh, "Skip", n)
    one = await alice.click(seventh, label="2", wait=False)
    two = await alice.click(seventh, label="5", wait=False)
    await one.response()
    await two.response()
    note = await alice.wait_for_dm(predicate=lambda m: "already moved past" in m.content)
    assert "step 8 of 12" in note.content
    stored = await answers(world, alice, iid)
    assert stored["confidence"] in (2, 5)
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.step == "unsure_claims" and debrief.state == "open"
    # The current step still works from the note's buttons.
    await alice.click(note, label="Yes")
    await alice.wait_for_dm(predicate=at_step(9))
    assert (await answers(world, alice, iid))["unsure_claims"] == "yes"


async def test_a_form_for_a_step_already_answered_saves_nothing_and_gives_the_words_back(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    prompt = await alice.wait_for_dm(predicate=is_prompt)
    first = await start_in(alice, iid)
    form = await alice.click(first, label="Write it")
    await form.response()
    await type_to(alice, RECALL, 2)  # answered by typing while the form was open
    late = await form.submit_modal({"Your answer": "Words typed in the form"})
    await late.response()
    note = await alice.wait_for_dm(predicate=lambda m: "didn't save it there" in m.content)
    assert "Words typed in the form" in note.content and "step 2 of 12" in note.content
    assert (await answers(world, alice, iid)) == {"recall": RECALL}
    # Starting again from the prompt shows the same step; the older message's buttons come off.
    await alice.click(prompt, label="Start debrief")
    again = await alice.wait_for_dm(predicate=at_step(2))
    assert "Picking up where you left off" in again.content
    await wait_until(lambda: note.buttons == [])
    # The bot records the new message once the edit has answered; reads no longer queue behind writes,
    # so wait for it rather than read the store the moment the buttons are gone.
    await tracked(world, alice, iid, again)


async def test_one_debrief_at_a_time_set_aside_and_resume(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    acme = await past_interview(world, alice, "Acme", "5 hours ago")
    globex = await past_interview(world, alice, "Globex", "2 hours ago")
    await world.idle()
    await start_in(alice, acme)
    acme_second = await type_to(alice, RECALL, 2)

    h = await alice.slash("debrief start", interview=str(globex))
    choice = await h.wait_message()
    assert "partway through the debrief of **Acme** (step 2 of 12)" in choice.content
    assert [b[0] for b in choice.buttons] == ["Continue Acme", "Set it aside, start Globex"]
    await alice.click(choice, label="Set it aside, start Globex")
    globex_first = await alice.wait_for_dm(predicate=at_step(1))
    assert "Globex" in globex_first.content
    assert "The debrief of **Acme** is set aside with every answer kept" in globex_first.content
    aside = await world.store.debriefs.for_interview(alice.id, acme)
    assert aside.state == "aside" and aside.step == "questions"

    # Acme's old step message still has its buttons: using one asks again, since Globex is open.
    await alice.click(acme_second, label="Skip")
    asked = await alice.wait_for_dm(predicate=lambda m: "partway through the debrief of **Globex**" in m.content)
    await alice.click(asked, label="Set it aside, start Acme")
    resumed = await alice.wait_for_dm(predicate=at_step(2))
    assert "Acme" in resumed.content and "Picking up where you left off" in resumed.content
    assert (await answers(world, alice, acme))["recall"] == RECALL  # every answer kept
    assert (await world.store.debriefs.for_interview(alice.id, globex)).state == "aside"
    assert (await world.store.debriefs.for_interview(alice.id, acme)).state == "open"


async def test_editing_a_past_debrief_updates_its_card(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    await start_in(alice, iid)
    message = await type_to(alice, RECALL, 2)
    message = await click_to(alice, message, "Skip", 3)
    message = await type_to(alice, STRONG, 4)
    for n in (5, 6, 7):
        message = await click_to(alice, message, "Skip", n)
    message = await click_to(alice, message, "3", 8)
    message = await click_to(alice, message, "No", 9)
    message = await click_to(alice, message, "Yes", 10)
    await alice.select(message, ["coding"])
    await alice.wait_for_dm(predicate=at_step(11))
    await type_to(alice, "keen - the team lead was great", 12)
    await alice.send_dm(ONE)
    card = await alice.wait_for_dm(predicate=has_card)
    assert fields(card)["What you made of them"] == "Keen: the team lead was great"

    # The company view changes with a button; the note written with it stays.
    h = await alice.slash("debrief edit", interview=str(iid), step="company")
    editing = await h.wait_message()
    await (await alice.click(editing, label="Not for me")).response()
    await wait_until(lambda: has_card(editing))  # the buttons off at once; the card once the edit is written
    assert fields(editing)["What you made of them"] == "Not for me: the team lead was great"
    assert (await answers(world, alice, iid))["company"] == {"view": "not_for_me", "note": "the team lead was great"}

    h = await alice.slash("debrief edit", interview=str(iid), step="strong")
    editing = await h.wait_message()
    assert "Editing your debrief" in editing.content and STRONG[:30] in editing.content
    form = await alice.click(editing, label="Change it")
    await form.response()
    assert form.modal["components"][0]["components"][0]["value"] == STRONG  # the form starts from the answer
    await (await form.submit_modal({"Your answer": "Explaining trade-offs out loud"})).response()
    await wait_until(lambda: has_card(editing))
    assert fields(editing)["What felt strong"] == "Explaining trade-offs out loud"

    h = await alice.slash("debrief edit", interview=str(iid), step="confidence")
    editing = await h.wait_message()
    await (await alice.click(editing, label="5")).response()
    await wait_until(lambda: has_card(editing))
    assert "Confidence 5 of 5." in fields(editing)["The human side"]

    h = await alice.slash("debrief edit", interview=str(iid), step="topics")
    editing = await h.wait_message()
    await (await alice.select(editing, ["system_design", "communication"])).response()
    await wait_until(lambda: has_card(editing))
    assert fields(editing)["Topics"] == "System design, Communication"

    h = await alice.slash("debrief edit", interview=str(iid), step="one_thing")
    editing = await h.wait_message()
    form = await alice.click(editing, label="Change it")
    await form.response()
    await (await form.submit_modal({"Your answer": "Two questions of my own, prepared"})).response()
    await wait_until(lambda: has_card(editing))
    assert (await world.store.debriefs.active_focus(alice.id)).text == "Two questions of my own, prepared"

    # Questions: add one in a form, rewrite the list in another, then done.
    h = await alice.slash("debrief edit", interview=str(iid), step="questions")
    editing = await h.wait_message()
    form = await alice.click(editing, label="Add a question")
    await form.response()
    added = await form.submit_modal({"The question": "Design a URL shortener", "Check this answer later": True})
    await added.response()
    await wait_until(lambda: "Added." in editing.content and bool(editing.buttons))
    assert "Added." in editing.content and "Design a URL shortener" in editing.content
    form = await alice.click(editing, label="Edit the list")
    await form.response()
    listed = form.modal["components"][0]["components"][0]["value"]
    assert listed == "Q: Design a URL shortener [check]"
    await (await form.submit_modal({"One question per line": listed + "\nQ: Why us? A: The product"})).response()
    await wait_until(lambda: "Why us?" in editing.content and bool(editing.buttons))
    await alice.click(editing, label="Done")
    card = await alice.wait_for_dm(predicate=lambda m: has_card(m) and "Done editing" in m.content)
    assert "Design a URL shortener" in fields(card)["Answers to check"]
    assert fields(card)["Their questions (2)"].endswith("2. Why us? — The product")

    # Clearing an answer takes it off the card.
    h = await alice.slash("debrief edit", interview=str(iid), step="recall")
    editing = await h.wait_message()
    await (await alice.click(editing, label="Clear answer")).response()
    await wait_until(lambda: has_card(editing))
    assert "From arrival to goodbye" not in fields(editing)

    show = await alice.slash("debrief show", interview=str(iid))
    card = await show.wait_message()
    shown = fields(card)
    assert shown["What felt strong"] == "Explaining trade-offs out loud"
    assert shown["The one thing to change"] == "Two questions of my own, prepared"
    assert not show.ephemeral
    debrief = await world.store.debriefs.for_interview(alice.id, iid)
    assert debrief.summary["strong"] == "Explaining trade-offs out loud" and debrief.summary["confidence"] == 5

    in_server = await alice.slash("debrief show", guild=world.guild, interview=str(iid))
    await in_server.wait_message()
    assert in_server.ephemeral  # a user's debrief words never show in a server


async def test_bad_answers_get_a_kind_reply_and_lose_nothing(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    await start_in(alice, iid)
    await alice.send_dm("🙂 🎉")
    reply = await alice.wait_for_dm()
    assert "needs some words" in reply.content and "Nothing was saved for this step yet." in reply.content
    assert "!" not in reply.content
    second = await type_to(alice, RECALL, 2)
    back = await alice.click(second, label="Back")
    await back.response()
    await wait_until(lambda: "step 1 of 12" in second.content and bool(second.buttons))
    form = await alice.click(second, label="Change it")
    await form.response()
    empty = await form.submit_modal({"Your answer": "   "})
    await empty.response()
    assert empty.ephemeral and "empty" in empty.message.content
    assert "Your earlier answer is still saved." in empty.message.content
    assert (await answers(world, alice, iid))["recall"] == RECALL
    await alice.click(second, label="Keep and go on")
    last = await alice.wait_for_dm(predicate=at_step(2))
    for n in range(3, 13):
        last = await click_to(alice, last, "Skip", n)
    await alice.send_dm("x" * 400)
    too_long = await alice.wait_for_dm()
    assert "the limit is 300" in too_long.content
    assert (await world.store.debriefs.for_interview(alice.id, iid)).step == "one_thing"
    await alice.send_dm("skip")
    card = await alice.wait_for_dm(predicate=has_card)
    assert "focus stays as it was" in card.content
    assert last.buttons == []


async def test_starting_from_a_reply_a_word_or_a_server(world):
    alice, bob = world.alice, world.bob
    world.clock.set(NOW)
    await set_zone(world, alice)
    await set_zone(world, bob)
    # "debrief" with nothing to debrief, and an unrelated DM, go their own ways.
    await alice.send_dm("debrief")
    nothing = await alice.wait_for_dm()
    assert "no past interview waiting" in nothing.content
    await alice.send_dm("hello there")
    hint = await alice.wait_for_dm()
    assert "/help" in hint.content

    iid = await past_interview(world, alice)
    prompt = await alice.wait_for_dm(predicate=is_prompt)
    # A reply to the prompt DM starts the debrief.
    state = world.fake.state
    reply = state.post_message(
        alice.dm_channel,
        alice,
        content="ok let's do it",
        mtype=19,
        message_reference={"type": 0, "message_id": str(prompt.id), "channel_id": str(alice.dm_channel.id)},
    )
    first = await alice.wait_for_dm(predicate=lambda m: m.id > reply.id and at_step(1)(m))
    assert "Acme" in first.content
    assert (await world.store.debriefs.for_interview(alice.id, iid)).state == "open"

    # In a server the debrief goes to DMs; the reply there is private.
    bob_iid = await past_interview(world, bob, "Initech")
    await world.idle()
    h = await bob.slash("debrief start", guild=world.guild, interview=str(bob_iid))
    said = await h.wait_message()
    assert h.ephemeral and "sent it to your DMs" in said.content
    await bob.wait_for_dm(predicate=at_step(1))
    bot_id = world.fake.bot_user_id
    assert [m for m in world.guild.channel("general").messages if m.author.id == bot_id and not m.ephemeral] == []

    # DMs closed: told how to open them.
    carol = world.carol
    await set_zone(world, carol)
    carol_iid = await past_interview(world, carol, "Hooli")
    await world.idle()
    carol.dms_open = False
    h = await carol.slash("debrief start", guild=world.guild, interview=str(carol_iid))
    said = await h.wait_message()
    assert h.ephemeral and "Privacy Settings" in said.content


async def test_debrief_now_button_and_autocomplete(world):
    alice, bob = world.alice, world.bob
    world.clock.set(NOW)
    await set_zone(world, alice)
    h = await alice.slash("interview log", company="Acme", when="3 hours ago", stage="technical")
    logged = await h.wait_message()
    await world.idle()
    await alice.click(logged, label="Debrief now")
    first = await alice.wait_for_dm(predicate=at_step(1))
    assert "Acme" in first.content
    assert "Edit" in [b[0] for b in logged.buttons]  # the logged reply keeps its own buttons
    await set_zone(world, bob)
    await past_interview(world, bob, "Bobs Co")
    suggestions = await alice.autocomplete("debrief start", focused="interview", value="")
    assert [s["name"].split(" — ")[0] for s in suggestions] == ["Acme"]
    h = await alice.slash("debrief start")  # without an interview: the one in progress
    again = await h.wait_message()
    assert "step 1 of 12" in again.content and "Picking up where you left off" in again.content


# -- kill -9 -----------------------------------------------------------------------------------------
# The bot as its own process (tests/procs.py), killed with SIGKILL at a step and in the middle of one.

TOKEN = "fake-bot-token"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"


def database(bot: BotProcess) -> Path | str:
    """The bot process's database: its PostgreSQL URL, else the SQLite file in its data directory."""
    return bot.env.get("DEBRIEF_DATABASE") or bot.data_dir / "debrief.db"


def debrief_row(bot: BotProcess) -> tuple[str, str]:
    [row] = pg.query(database(bot), "SELECT step, state FROM debriefs")
    return row


def stored_answers(bot: BotProcess) -> dict:
    rows = pg.query(database(bot), "SELECT step, value, skipped FROM answers")
    return {step: (None if skipped else json.loads(value)) for step, value, skipped in rows}


def interview_id(bot: BotProcess) -> int:
    return pg.query(database(bot), "SELECT id FROM interviews")[0][0]


@pytest.fixture
async def killable(tmp_path, engine, request):
    async with contextlib.AsyncExitStack() as stack:
        env = {}
        if engine == "postgresql":
            env["DEBRIEF_DATABASE"] = await stack.enter_async_context(pg.database(request))
        async for each in _killable(tmp_path, env):
            yield each


async def _killable(tmp_path, env):
    fake = FakeDiscord(token=TOKEN)
    await fake.start()
    alice = fake.add_user("alice")
    bot = BotProcess(fake, tmp_path / "data", TOKEN, **env)
    await bot.start()
    for command, options in (("settings timezone", {"zone": "UTC"}), ("settings quiet-hours", {"hours": "off"})):
        h = await alice.slash(command, **options)
        await h.wait_message()
    try:
        yield fake, bot, alice
    finally:
        await bot.stop()
        await fake.close()
        assert fake.violations == []


async def test_kill9_mid_debrief_resumes_at_the_same_step_with_every_answer(killable):
    fake, bot, alice = killable
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    first = await start_in(alice, interview_id(bot))
    form = await alice.click(first, label="Write it")
    await form.response()
    await form.submit_modal({"Your answer": RECALL})
    await alice.wait_for_dm(predicate=at_step(2))
    await type_to(alice, "Q: What is REST? A: resources [check]", 3)
    fourth = await type_to(alice, STRONG, 4)

    # The worst moment: the skip is stored, the next step has not reached Discord yet.
    hold = fake.hold("POST", FOLLOWUP, stage="before")
    await alice.click(fourth, label="Skip", wait=False)
    await hold.wait_reached()
    await bot.kill9()
    hold.release(proceed=False)
    assert debrief_row(bot) == ("prep_gaps", "open")
    before = stored_answers(bot)
    assert before == {
        "recall": RECALL,
        "questions": [{"question": "What is REST?", "answer": "resources", "check_later": True}],
        "strong": STRONG,
        "stumbles": None,
    }

    await bot.start()
    await alice.send_dm("debrief")
    fifth = await alice.wait_for_dm(predicate=at_step(5), timeout=10)
    assert "Picking up where you left off" in fifth.content and "Prep that didn't hold up" in fifth.content
    sixth = await click_to(alice, fifth, "Skip", 6)

    # Killed while waiting at a step: its buttons work in the next process.
    await bot.kill9()
    assert debrief_row(bot) == ("soft_side", "open")
    await bot.start()
    form = await alice.click(sixth, label="Write it")
    await form.response()
    await form.submit_modal({"Your answer": SOFT})
    await alice.wait_for_dm(predicate=at_step(7), timeout=10)
    assert stored_answers(bot) == {**before, "prep_gaps": None, "soft_side": SOFT}


async def test_after_a_long_pause_a_dm_shows_the_step_instead_of_being_saved_blind(world):
    world.clock.set(NOW)
    await set_zone(world, world.alice)
    iid = await past_interview(world, world.alice)
    await start_in(world.alice, iid)
    await type_to(world.alice, RECALL, 2)
    world.advance(hours=7)
    await world.alice.send_dm("thanks, talk later")
    again = await world.alice.wait_for_dm(15.0, predicate=at_step(2))  # a runaway bound (a loaded CI machine)
    assert "haven't saved that as an answer" in again.content
    assert (await answers(world, world.alice, iid)).get("questions") is None
    await type_to(world.alice, "Q: Why backend? A: I like data.", 3)  # now it is an answer again
    assert (await answers(world, world.alice, iid))["questions"][0]["question"] == "Why backend?"


async def test_after_a_long_pause_a_dm_about_a_new_interview_is_noticed_not_saved(world):
    world.clock.set(NOW)
    await set_zone(world, world.alice)
    iid = await past_interview(world, world.alice)
    await start_in(world.alice, iid)
    await type_to(world.alice, RECALL, 2)
    world.advance(hours=7)
    await world.alice.send_dm("onsite at Globex tomorrow 2pm")
    offer = await world.alice.wait_for_dm(
        predicate=lambda m: "Globex" in m.content and "Shall I record it" in m.content
    )
    assert offer.buttons
    assert (await answers(world, world.alice, iid)).get("questions") is None


# -- 11.11: the summary card shows whole answers ----------------------------------------------------


def _long_answer(seed: str) -> str:
    """About 3,000 characters of one line, with markup that must be escaped (and read back as typed)."""
    words = [f"{seed}{n}" for n in range(400)]
    words[7] = "**not bold**"
    words[99] = "_not_italic_"
    words[300] = "`code`"
    text = " ".join(words)
    return text[:3000].rstrip()


async def test_the_summary_card_shows_whole_answers_across_its_messages(world):
    from tests.cogs.test_render_e2e import shown as as_displayed

    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice)
    await world.idle()
    long = {1: _long_answer("recall"), 3: _long_answer("strong"), 4: _long_answer("stumble")}
    assert all(len(text) == 3000 for text in long.values())
    step = await start_in(alice, iid)
    for n in range(1, 13):
        assert f"step {n} of 12" in step.content
        if n in long:
            h = await alice.click(step, label="Write it")
            await h.response()
            await h.submit_modal({"Your answer": long[n]})
        else:
            await alice.send_dm("skip")
        if n < 12:
            step = await alice.wait_for_dm(predicate=at_step(n + 1))
    last = await alice.wait_for_dm(predicate=lambda m: has_card(m) and "part 2 of" in str(m.embeds[0].get("footer")))
    total = int(str(last.embeds[0]["footer"]["text"]).rsplit(" ", 1)[1])
    await wait_until(lambda: sum(1 for m in alice.dm_messages if has_card(m)) >= total)
    parts = [m for m in alice.dm_messages if has_card(m)]
    assert len(parts) == total >= 2
    for k, part in enumerate(parts, 1):
        [embed] = part.embeds
        assert f"part {k} of {total}" in embed["footer"]["text"]
        size = len(embed.get("title", "")) + len(embed.get("description") or "") + len(embed["footer"]["text"])
        size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        assert size <= 6000 and len(embed.get("fields", [])) <= 25
    every = [f for part in parts for f in part.embeds[0].get("fields", [])]
    for name, text in (
        ("From arrival to goodbye", long[1]),
        ("What felt strong", long[3]),
        ("Where you stumbled", long[4]),
    ):
        pieces = [f["value"] for f in every if f["name"] in (name, f"{name} (cont.)")]
        assert len(pieces) >= 3  # 3,000 characters (more once escaped) in fields of 1,024
        assert as_displayed("".join(pieces)) == text  # every character reaches the user
        assert "**not bold**" not in "".join(pieces)  # the markup is escaped, not rendered
