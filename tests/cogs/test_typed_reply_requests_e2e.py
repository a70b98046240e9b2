"""Issue 15: a typed answer to a debrief step costs no request under Discord's global limit.

The step it answers was sent through an interaction (a command's response or a click's follow-up), so
its buttons come off through that interaction's webhook and the next step is sent through it as a
follow-up: the global limit counts neither. A run of typed answers goes on through the same webhook.
Once the token is gone (a restart) or refused, the step still comes, once, through REST, and the
buttons still come off, through an ordinary REST edit.
"""

from __future__ import annotations

import time

from cogs.debrief._handles import StepHandles
from fakediscord import FakeMessage
from tests.cogs._debrief_steps import at_step, first_step, refuse_every_try, wait_until

EXEMPT = ("/interactions/", "/webhooks/")
FOLLOW_UP = ("POST", "/webhooks/{webhook_id}/{webhook_token}")


def counted(requests) -> list[tuple[str, str | None]]:
    """The requests that count toward the global limit (not an interaction's callback or webhook)."""
    return [(r.method, r.route) for r in requests if r.route and not r.route.startswith(EXEMPT)]


async def typed(
    world, user, words: str, step: int, shown: FakeMessage, *, follow_ups: int | None = None
) -> list[tuple[str, str | None]]:
    """Type ``words``; once the next step is shown and ``shown`` has lost its buttons, the counted requests.
    ``follow_ups``: how many interaction follow-ups the reply must have been sent as (checked)."""
    await world.idle()
    before = len(world.fake.requests)
    await user.send_dm(words)
    await user.wait_for_dm(15.0, predicate=at_step(step))
    await wait_until(lambda: shown.buttons == [])
    await world.idle()
    made = world.fake.requests[before:]
    if follow_ups is not None:
        assert [(r.method, r.route) for r in made].count(FOLLOW_UP) == follow_ups
    return counted(made)


async def test_a_typed_answer_to_a_step_a_command_sent_counts_no_request(world):
    alice = world.alice
    _, first = await first_step(world, alice)
    assert await typed(world, alice, "Joined early; talked through the capstone.", 2, first, follow_ups=1) == []


async def test_a_typed_answer_to_a_step_a_click_sent_counts_no_request(world):
    alice = world.alice
    _, first = await first_step(world, alice)
    await alice.click(first, label="Skip")
    second = await alice.wait_for_dm(predicate=at_step(2))
    await alice.click(second, label="Skip")
    third = await alice.wait_for_dm(predicate=at_step(3))
    assert await typed(world, alice, "The walkthrough went well.", 4, third, follow_ups=1) == []


async def test_a_run_of_typed_answers_goes_on_through_the_same_interaction(world):
    """The step a typed reply sent came through the webhook too: the next typed answer takes its buttons
    off and sends the step after it the same way, with nothing counted; each answer is saved."""
    alice = world.alice
    interview_id, first = await first_step(world, alice)
    await alice.click(first, label="Skip")
    second = await alice.wait_for_dm(predicate=at_step(2))
    await alice.click(second, label="Skip")
    third = await alice.wait_for_dm(predicate=at_step(3))
    assert await typed(world, alice, "The walkthrough went well.", 4, third, follow_ups=1) == []
    fourth = alice.dm_messages[-1]
    assert at_step(4)(fourth)
    assert await typed(world, alice, "Blanked on a SQL join.", 5, fourth, follow_ups=1) == []
    fifth = alice.dm_messages[-1]
    assert at_step(5)(fifth) and fourth.buttons == []
    debrief = await world.store.debriefs.for_interview(alice.id, interview_id)
    assert debrief.message_id == fifth.id
    saved = " | ".join(str(a.value) for a in (await world.store.debriefs.answers(debrief.id)).values())
    assert "The walkthrough went well." in saved and "Blanked on a SQL join." in saved


async def test_after_a_restart_the_step_goes_through_rest_and_the_buttons_still_come_off(world):
    alice = world.alice
    _, first = await first_step(world, alice)
    await world.restart()  # the interaction's token was kept in memory only
    requests = await typed(world, alice, "Joined early; talked through the capstone.", 2, first, follow_ups=0)
    assert requests.count(("POST", "/channels/{channel_id}/messages")) == 1
    assert ("PATCH", "/channels/{channel_id}/messages/{message_id}") in requests


async def test_a_step_sent_through_rest_loses_its_buttons_after_the_next_reply_not_before(world):
    """No token for a step sent through REST: its edit is counted, so it goes after the reply."""
    alice = world.alice
    _, first = await first_step(world, alice)
    await world.restart()
    await typed(world, alice, "Joined early; talked through the capstone.", 2, first, follow_ups=0)
    second = alice.dm_messages[-1]
    assert at_step(2)(second)
    assert await typed(world, alice, "Nothing to add.", 3, second, follow_ups=0) == [
        ("POST", "/channels/{channel_id}/messages"),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ]


async def test_a_refused_token_sends_the_step_once_through_rest(world):
    """Discord refuses the token (it expired sooner than the bot counted): the step still comes, once,
    through REST, and the old step's buttons still come off."""
    alice = world.alice
    _, first = await first_step(world, alice)
    world.fake.followup_ttl = 0.0  # every interaction token is now past its life at the fake
    requests = await typed(world, alice, "Joined early; talked through the capstone.", 2, first, follow_ups=1)
    assert requests.count(("POST", "/channels/{channel_id}/messages")) == 1
    assert ("PATCH", "/channels/{channel_id}/messages/{message_id}") in requests
    assert sum(1 for m in alice.dm_messages if at_step(2)(m)) == 1
    refused = [v for v in world.fake.violations if "token" in str(v).lower()]
    assert refused and len(refused) == len(world.fake.violations)
    world.fake.violations.clear()  # the refusals this test provoked, checked above


def test_a_token_is_not_used_past_its_life_nor_for_another_message():
    handles = StepHandles(life=60.0)
    handles.remember(1, 10, "token")
    assert handles.take(1, 11) is None  # another message: not this token
    assert handles.take(1, 10) == "token"
    assert handles.take(1, 10) is None  # used once
    expired = StepHandles(life=0.0)
    expired.remember(2, 20, "old")
    assert expired.take(2, 20) is None
    assert len(expired) == 0


async def test_a_saved_answer_whose_next_step_discord_fails_to_take_is_called_saved(world):
    """Discord answers the follow-up with 5xx every time (discord.py retries 5 times): the answer was
    committed before, so the user is told it was saved and where to pick up, never "not saved" (sending
    it again would file it under the next step)."""
    alice = world.alice
    interview_id, _first = await first_step(world, alice)
    refusing = refuse_every_try(world, "POST", "/webhooks/{webhook_id}/{webhook_token}")
    words = "Joined early; talked through the capstone."
    await alice.send_dm(words)
    reply = await alice.wait_for_dm(40.0, predicate=lambda m: "was saved, but" in m.content or "not saved" in m.content)
    await refusing
    assert "not saved" not in reply.content and "/debrief start" in reply.content
    debrief = await world.store.debriefs.for_interview(alice.id, interview_id)
    saved = " | ".join(str(a.value) for a in (await world.store.debriefs.answers(debrief.id)).values())
    assert words in saved


def test_a_tokens_life_counts_from_its_interactions_start_not_from_the_send():
    """A click that waited its turn sends late: its token is as old as the interaction, not the send."""
    from datetime import timedelta

    from discord.utils import utcnow

    from cogs.debrief._handles import began

    assert 599.0 < time.monotonic() - began(utcnow() - timedelta(minutes=10)) < 601.0
    assert time.monotonic() - began(utcnow() + timedelta(seconds=5)) < 1.0  # a clock ahead of ours: now
    handles = StepHandles()  # 14 minutes
    handles.remember(1, 10, "token", at=began(utcnow() - timedelta(minutes=15)))
    assert handles.take(1, 10) is None
    handles.remember(1, 11, "token", at=began(utcnow() - timedelta(minutes=5)))
    assert handles.take(1, 11) == "token"
