"""Issue 9.6 and 9.9: per-user caps, expiring drafts, a cooldown on heavy commands, and a retried
/interview log that records nothing twice. Through the real bot and the fake Discord, default limits
(``bot.config.LimitSettings``) unless a test says otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import LimitSettings
from bot.services.interviews import PROMPTS_PER_INTERVIEW

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday, 13:00 in Berlin
LIMITS = LimitSettings()
CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def berlin(world, user) -> None:
    world.clock.set(NOW)
    await world.store.users.ensure(user.id, NOW)
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def log(user, company: str, when: str = "Dec 20 2pm", stage: str = "technical", **where):
    h = await user.slash("interview log", company=company, when=when, stage=stage, **where)
    return h, await h.wait_message()


async def test_interviews_per_day_are_capped_and_the_cap_writes_nothing(world):
    alice, bob = world.alice, world.bob
    await berlin(world, alice)
    await berlin(world, bob)
    cap = LIMITS.interviews_per_day
    accepted = refused = 0
    for n in range(cap + 5):  # a short loop past the cap stands for 10,000 calls
        _, said = await log(alice, f"Company {n}")
        if said.content.startswith("Saved:"):
            accepted += 1
        else:
            assert f"You've logged {cap} interviews in the last 24 hours" in said.content, said.content
            refused += 1
    assert (accepted, refused) == (cap, 5)
    # In a server the refusal is private: it takes the place of the ephemeral "thinking…" answer.
    h, said = await log(alice, "Server Co", guild=world.guild, channel=world.guild.channels[0])
    assert f"You've logged {cap} interviews in the last 24 hours" in said.content and h.ephemeral
    rows = await world.store.interviews.list(alice.id, limit=1000)
    assert len(rows) == cap
    per = PROMPTS_PER_INTERVIEW if rows[0].starts_at > world.clock.now() else 2  # no evening-before note after
    assert await world.store.prompts.count_pending(alice.id) == per * cap  # the refused ones scheduled nothing
    # Someone else is not affected, and the next day alice may log again.
    _, said = await log(bob, "Globex")
    assert said.content.startswith("Saved:")
    world.advance(hours=24, minutes=1)
    _, said = await log(alice, "Next day Inc")
    assert said.content.startswith("Saved:"), said.content


async def test_pending_prompts_per_user_are_capped(world):
    alice = world.alice
    await berlin(world, alice)
    cap = LIMITS.pending_prompts_per_user
    logged = 0
    most = cap // PROMPTS_PER_INTERVIEW  # three prompts an interview still ahead; a few days of the daily cap
    while logged < most:
        for _ in range(min(LIMITS.interviews_per_day, most - logged)):
            _, said = await log(alice, f"Company {logged}", when="2027-03-01 10:00")
            assert said.content.startswith("Saved:"), said.content
            logged += 1
        world.advance(hours=24, minutes=1)
    assert await world.store.prompts.count_pending(alice.id) == cap
    _, said = await log(alice, "One too many", when="2027-03-01 10:00")
    assert f"You have {cap} reminders waiting" in said.content, said.content
    assert len(await world.store.interviews.list(alice.id, limit=1000)) == most
    assert await world.store.prompts.count_pending(alice.id) == cap


async def test_a_retry_after_this_interaction_failed_records_one_interview(world):
    alice, fake = world.alice, world.fake
    await berlin(world, alice)
    hold = fake.hold("POST", CALLBACK, stage="before")
    first = await alice.slash("interview log", company="Acme", when="Dec 20 2pm", stage="onsite_final", wait=False)
    await hold.wait_reached()
    # The command answers ("thinking…") before it writes: its acknowledgement has not reached Discord, so
    # nothing is written yet. The user sees "This interaction failed" once the window closes, and the late
    # acknowledgement is refused: the command stops there, having written nothing.
    await fake.state.changes.wait_until(lambda: first.failed, fake.ack_timeout + 2)
    hold.release()
    await fake.state.changes.wait_until(lambda: any("10062" in v for v in fake.violations), 5)
    assert not first.acknowledged
    # The late acknowledgement is what this test stages; Discord refused it once, and nothing else.
    late = [v for v in fake.violations if "10062" in v]
    assert len(late) == 1, fake.violations
    fake.violations.remove(late[0])
    assert await world.store.interviews.list(alice.id) == []
    assert await world.store.prompts.count_pending(alice.id) == 0

    _, said = await log(alice, "acme", stage="onsite_final")  # the retry records it, once
    assert said.content.startswith("Saved:"), said.content
    assert len(await world.store.interviews.list(alice.id)) == 1
    assert await world.store.prompts.count_pending(alice.id) == PROMPTS_PER_INTERVIEW


async def test_a_retry_while_the_first_reply_is_still_thinking_records_one_interview(world):
    alice, fake = world.alice, world.fake
    await berlin(world, alice)
    hold = fake.hold("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", stage="before")
    first = await alice.slash("interview log", company="Acme", when="Dec 20 2pm", stage="onsite_final")
    await first.response()
    await hold.wait_reached()
    # Written; its reply has not reached Discord: the user still sees "thinking…" and tries again.
    assert len(await world.store.interviews.list(alice.id)) == 1
    scheduled = await world.store.prompts.count_pending(alice.id)
    assert scheduled == PROMPTS_PER_INTERVIEW  # still ahead: debrief prompt, nudge, evening-before note
    _, said = await log(alice, "acme", stage="onsite_final")  # the retry (the company typed in another case)
    assert "Already recorded" in said.content, said.content
    assert len(await world.store.interviews.list(alice.id)) == 1
    assert await world.store.prompts.count_pending(alice.id) == scheduled
    hold.release()
    shown = await first.wait_message()
    assert shown.content.startswith("Saved:"), shown.content

    # A different interview with the same company is still recorded.
    _, said = await log(alice, "Acme", stage="system_design")
    assert said.content.startswith("Saved:")
    assert len(await world.store.interviews.list(alice.id)) == 2
    # The same one logged again much later is a deliberate second entry.
    world.advance(minutes=LIMITS.retry_window.total_seconds() / 60 + 1)
    _, said = await log(alice, "Acme", stage="onsite_final")
    assert said.content.startswith("Saved:")
    assert len(await world.store.interviews.list(alice.id)) == 3


async def test_an_expired_draft_says_so_when_clicked(world):
    alice = world.alice
    await berlin(world, alice)
    await alice.send_dm("onsite at Acme tomorrow 2pm")
    offer = await alice.wait_for_dm()
    assert offer.buttons, offer.content
    world.advance(hours=LIMITS.draft_ttl.total_seconds() / 3600, minutes=1)
    h = await alice.click(offer, label="Yes, record it")
    said = await h.wait_message()
    assert "That draft expired" in said.content, said.content
    assert h.ephemeral
    assert await world.store.interviews.list(alice.id) == []
    again = await alice.click(offer, label="Yes, record it")  # and it stays gone
    assert "already recorded or dismissed" in (await again.wait_message()).content


async def test_heavy_commands_have_a_per_user_cooldown(world):
    alice, bob = world.alice, world.bob
    await berlin(world, alice)
    for _ in range(LIMITS.heavy_commands):
        h = await alice.slash("interview list")
        said = await h.wait_message()
        assert "Try again in" not in said.content
    h = await alice.slash("interview list")
    said = await h.wait_message()
    assert "Try again in" in said.content and "second" in said.content, said.content
    assert h.ephemeral
    h = await bob.slash("interview list")  # bob has his own allowance
    assert "Try again in" not in (await h.wait_message()).content


async def test_stored_text_past_its_size_is_refused_at_input_and_writes_nothing(world):
    alice = world.alice
    await berlin(world, alice)
    h = await alice.slash("interview log", company="Acme", when="Dec 20 2pm", stage="technical", role="R" * 101)
    said = await h.wait_message()
    assert "100" in said.content and "Something went wrong" not in said.content, said.content
    assert await world.store.interviews.list(alice.id) == []
