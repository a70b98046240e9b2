"""Issue 16 (part B): the feedback request assumes no rejection that isn't recorded, ends with the user's
name (or a placeholder to fill in), and comes as a message of its own in plain text, so that copying the
message (long press, "Copy Text" on mobile, which copies the raw text) copies the note and nothing else."""

from __future__ import annotations

from tests.cogs.test_outcomes_e2e import berlin, log, outcome


async def request(user, **options):
    """The reply to /feedback request and the message holding the note alone."""
    h = await user.slash("feedback request", **options)
    reply = await h.wait_message()
    note = await h.wait_followup()
    return reply, note


async def test_without_a_recorded_rejection_the_request_assumes_none_and_is_signed(world):
    world.alice.global_name = "Alice Liddell"
    await berlin(world, world.alice)
    await log(world, world.alice, "Acme", role="Data engineer")
    reply, note = await request(world.alice)
    text = note.content
    assert "letting me know" not in text and "made the difference" not in text  # no decision was recorded
    assert "the team at Acme" in text and "the Data engineer role" in text
    assert text.rstrip().endswith("Kind regards,\nAlice Liddell")
    # nothing in the note is markdown that a copy would carry along
    assert "```" not in text and "**" not in text
    assert "**Acme**" in reply.content and "legal or HR policy" in reply.content


async def test_after_a_rejection_the_request_thanks_for_the_news_and_a_nameless_user_gets_a_placeholder(world):
    await berlin(world, world.bob)  # bob set no display name: only his username is known
    iid = await log(world, world.bob, "Globex")
    await outcome(world.bob, iid, "rejected")
    _, note = await request(world.bob, interview=str(iid))
    assert "Thanks for letting me know" in note.content
    assert note.content.rstrip().endswith("Kind regards,\n[your name]")
    assert "bob" not in note.content


async def test_the_check_in_and_card_buttons_give_the_same_signed_note(world):
    world.alice.global_name = "Alice Liddell"
    await berlin(world, world.alice)
    iid = await log(world, world.alice, "Initech")
    _, reply = await outcome(world.alice, iid, "rejected")
    clicked = await world.alice.click(reply, label="Draft a feedback request")
    await clicked.wait_message()
    note = await clicked.wait_followup()
    assert "Thanks for letting me know" in note.content
    assert note.content.rstrip().endswith("Alice Liddell")
