"""Issue 12, the debrief's step on the company: what the candidate made of them, stored the moment it is
given, kept across a restart, and read back by /patterns. Through the real bot and the fake Discord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coach.patterns import DebriefFact, InterviewFact
from tests.coach.patterns_season import Season
from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_debrief_e2e import answers, at_step, fields, has_card, past_interview, set_zone, start_in, type_to
from tests.season_store import load_season

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
NOTE = "Nice people, but nobody could say who owns on-call"


async def earlier_rounds(world, user) -> None:
    """Two earlier interviews with finished debriefs: with one more, enough for /patterns to draw."""
    s = Season(
        interviews=[
            InterviewFact(1, "Globex", "technical", NOW - timedelta(days=20), "rejected"),
            InterviewFact(2, "Initech", "phone_screen", NOW - timedelta(days=10), "advanced"),
        ],
        debriefs=[
            DebriefFact(1, NOW - timedelta(days=20, hours=-3), topics=("coding",), company_view="keen"),
            DebriefFact(2, NOW - timedelta(days=10, hours=-3), topics=("nerves",)),
        ],
    )
    await load_season(world.store, user.id, s)


async def test_the_company_step_is_saved_at_once_survives_a_restart_and_shows_in_patterns(world):
    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    await earlier_rounds(world, alice)
    iid = await past_interview(world, alice, company="Acme")
    await world.idle()
    await start_in(alice, iid)
    step = None
    for n in range(2, 12):
        step = await type_to(alice, "skip", n)
    assert step is not None and "What you made of them" in step.content
    assert [b[0] for b in step.buttons][:4] == ["Keen", "Not sure", "Not for me", "Add a note"]

    # The view with a note, in the form; saved the moment it is sent.
    form = await alice.click(step, label="Add a note")
    await form.response()
    await form.submit_modal({"What you made of them": "not_for_me", "Why, in a line (optional)": NOTE})
    await alice.wait_for_dm(predicate=at_step(12))
    assert (await answers(world, alice, iid))["company"] == {"view": "not_for_me", "note": NOTE}

    # A restart in the middle: the debrief picks up where it was, the answer still there.
    await world.restart()
    await alice.send_dm("debrief")
    resumed = await alice.wait_for_dm(predicate=at_step(12))
    assert "where you left off" in resumed.content
    back = await alice.click(resumed, label="Back")
    await back.response()  # the buttons off at once; the step before once the move is written
    await wait_until(lambda: "step 11 of 12" in resumed.content and bool(resumed.buttons))
    assert "step 11 of 12" in resumed.content and f"Not for me: {NOTE}" in resumed.content
    assert [b[0] for b in resumed.buttons][:4] == ["Keen", "Not sure", "Not for me", "Change the note"]
    await alice.click(resumed, label="Keep and go on")
    await alice.wait_for_dm(predicate=at_step(12))
    await alice.send_dm("skip")
    card = await alice.wait_for_dm(predicate=has_card)
    assert fields(card)["What you made of them"] == f"Not for me: {NOTE}"

    # /patterns reads it back, beside the earlier view, with "not for me" as a fair conclusion.
    h = await alice.slash("patterns")
    reply = await h.wait_followup(timeout=30)
    shown = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert shown["What you made of them"] == "Keen on: Globex\nNot for you: Acme. A fair conclusion."


async def test_a_typed_company_view_and_a_button_both_count(world):
    bob = world.bob
    world.clock.set(NOW)
    await set_zone(world, bob)
    first = await past_interview(world, bob, company="Umbrella", when="6 hours ago")
    second = await past_interview(world, bob, company="Hooli", when="3 hours ago")
    await world.idle()
    await start_in(bob, first)
    for n in range(2, 12):
        await type_to(bob, "skip", n)
    await type_to(bob, "not sure - the role changed twice during the call", 12)
    assert (await answers(world, bob, first))["company"] == {
        "view": "unsure",
        "note": "the role changed twice during the call",
    }
    await bob.send_dm("skip")
    await bob.wait_for_dm(predicate=has_card)

    step = await start_in(bob, second)
    for n in range(2, 12):
        step = await type_to(bob, "skip", n)
    await bob.click(step, label="Keen")
    await bob.wait_for_dm(predicate=at_step(12))
    assert "Saved: Keen" in step.content
    assert (await answers(world, bob, second))["company"] == {"view": "keen", "note": ""}


async def test_a_refused_company_form_reopens_with_the_note_kept(world):
    """A company form with a note that is only symbols is refused; its Fix button re-opens it with the
    view and the note as typed."""
    from tests.cogs.test_forms_keep_what_was_typed_e2e import defaults

    alice = world.alice
    world.clock.set(NOW)
    await set_zone(world, alice)
    iid = await past_interview(world, alice, company="Acme")
    await world.idle()
    await start_in(alice, iid)
    step = None
    for n in range(2, 12):
        step = await type_to(alice, "skip", n)
    assert step is not None
    form = await alice.click(step, label="Add a note")
    await form.response()
    failed = await form.submit_modal({"What you made of them": "unsure", "Why, in a line (optional)": "🙂 !!"})
    reply = await failed.wait_message()
    assert "company" not in await answers(world, alice, iid)
    again = await alice.click(reply, label="Fix the form")
    await again.response()
    assert defaults(again.modal)["answer"] == "🙂 !!"
    [chosen] = [o["value"] for o in select_options(again.modal) if o.get("default")]
    assert chosen == "unsure"
    fixed = await again.submit_modal({"What you made of them": "unsure", "Why, in a line (optional)": NOTE})
    await fixed.response()
    await alice.wait_for_dm(predicate=at_step(12))
    assert (await answers(world, alice, iid))["company"] == {"view": "unsure", "note": NOTE}


def select_options(modal: dict) -> list[dict]:
    return [o for row in modal["components"] for o in (row.get("component") or {}).get("options") or []]
