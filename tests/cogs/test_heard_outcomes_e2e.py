"""Issue 16: outcomes told in plain words, read from a DM, matched to the user's own interviews, confirmed
with buttons, and recorded through the path of /interview outcome. An outcome for an interview still ahead
asks first, here and in /interview outcome.

Times: Tuesday 24 Nov 2026 12:00 UTC is 13:00 in Berlin; the default quiet hours are 22:00-08:00 local.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.stages import result_label
from fakediscord import FakeMessage

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def is_checkin(message: FakeMessage) -> bool:
    return message.content.startswith("Checking in after")


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def log(world, user, company: str, when: str = "5 hours ago", stage: str = "technical") -> int:
    h = await user.slash("interview log", company=company, when=when, stage=stage)
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


def heard(message: FakeMessage) -> bool:
    return message.content.startswith("I read that")


async def outcome_of(world, user, iid: int) -> str | None:
    return (await world.store.interviews.get(user.id, iid)).outcome


@pytest.mark.coaching(reset_window=timedelta(hours=14))
async def test_a_rejection_in_words_is_confirmed_recorded_and_gets_its_one_checkin(world):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    acme = await log(world, alice, "Acme")
    other = await log(world, alice, "Globex")
    await alice.send_dm("Heard back from Acme, it's a no")
    asked = await alice.wait_for_dm(predicate=heard)
    assert "it's a no" in asked.content and "**Acme**" in asked.content and "Record **rejected**" in asked.content
    assert [b[0] for b in asked.buttons] == ["Record it", "Don't record"]
    assert await outcome_of(world, alice, acme) is None  # nothing before the click
    assert await world.store.prompts.find("checkin", acme) is None

    click = await alice.click(asked, label="Record it")
    reply = await click.wait_followup()
    assert "Recorded: rejected" in asked.content and asked.buttons == []
    assert "I'll check in tomorrow 08:00" in reply.content  # the reply of /interview outcome
    assert [b[0] for b in reply.buttons] == ["Draft a feedback request"]
    assert await outcome_of(world, alice, acme) == "rejected"
    assert await outcome_of(world, alice, other) is None
    prompt = await world.store.prompts.find("checkin", acme)
    assert (prompt.state, prompt.due_at) == ("pending", datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    assert (await world.store.prompts.find("ghosting", acme)).state == "cancelled"

    world.clock.set(prompt.due_at + timedelta(seconds=1))
    checkin = await alice.wait_for_dm(predicate=is_checkin)
    assert checkin.content.startswith("Checking in after Acme.")
    world.advance(days=2)
    await world.idle()
    await asyncio.sleep(0.3)
    assert len([m for m in alice.dm_messages if is_checkin(m)]) == 1


@pytest.mark.parametrize(
    ("said", "company", "result"),
    [
        ("I got rejected by Globex", "Globex", "rejected"),
        ("Initech moved me to the final round", "Initech", "advanced"),
        ("got the offer from Umbrella!", "Umbrella", "offer"),
        ("heard back from acme corp, they're not moving forward", "Acme Corp", "rejected"),
    ],
)
async def test_each_outcome_in_words_is_recorded_once_confirmed(world, said, company, result):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    iid = await log(world, alice, company)
    await log(world, alice, "Hooli")
    await alice.send_dm(said)
    asked = await alice.wait_for_dm(predicate=heard)
    assert f"Record **{result_label(result).lower()}**" in asked.content, asked.content
    assert await outcome_of(world, alice, iid) is None
    click = await alice.click(asked, label="Record it")
    await click.wait_followup()
    assert await outcome_of(world, alice, iid) == result
    assert [i.outcome for i in await world.store.interviews.list(alice.id) if i.id != iid] == [None]


async def test_dont_record_records_nothing(world):
    alice = world.alice
    await berlin(world, alice)
    iid = await log(world, alice, "Acme")
    await alice.send_dm("Acme said no")
    asked = await alice.wait_for_dm(predicate=heard)
    click = await alice.click(asked, label="Don't record")
    await click.response()
    assert "Not recorded" in asked.content and asked.buttons == []
    assert await outcome_of(world, alice, iid) is None
    assert await world.store.prompts.find("checkin", iid) is None


async def test_rounds_of_one_process_mean_the_latest_and_separate_interviews_ask_which(world):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    screen = await log(world, alice, "Acme", when="yesterday 10:00", stage="recruiter_screen")
    tech = await log(world, alice, "Acme", when="3 hours ago")
    assert (await world.store.interviews.get(alice.id, tech)).previous_id == screen
    await alice.send_dm("i got rejected by acme")
    asked = await alice.wait_for_dm(predicate=heard)
    assert [b[0] for b in asked.buttons] == ["Record it", "Don't record"] and "technical" in asked.content
    await (await alice.click(asked, label="Don't record")).response()

    # Two Globex interviews that are not rounds of one process (the later one was logged first).
    ahead = await log(world, alice, "Globex", when="thursday 15:00")
    past = await log(world, alice, "Globex", when="yesterday 16:00", stage="recruiter_screen")
    assert (await world.store.interviews.get(alice.id, ahead)).previous_id is None
    await alice.send_dm("Globex ghosted me")
    asked = await alice.wait_for_dm(predicate=heard)
    labels = [b[0] for b in asked.buttons]
    assert "Which one gets **ghosted (no reply)**" in asked.content and len(labels) == 3, asked.content
    assert labels[-1] == "Don't record" and all(label.startswith("Globex") for label in labels[:2])
    pick = next(label for label in labels if "Recruiter" in label)
    click = await alice.click(asked, label=pick)
    await click.wait_followup()
    assert await outcome_of(world, alice, past) == "ghosted"
    assert await outcome_of(world, alice, ahead) is None


async def test_an_unknown_company_gets_a_clear_reply_and_offers_to_log_it(world):
    alice = world.alice
    await berlin(world, alice)
    await log(world, alice, "Acme")
    await alice.send_dm("Heard back from Initech, it's a no")
    said = await alice.wait_for_dm(predicate=heard)
    assert "no interview with **Initech** among yours" in said.content and "nothing was recorded" in said.content
    assert [b[0] for b in said.buttons] == ["Log that interview", "Don't record"]
    form = await alice.click(said, label="Log that interview")
    await form.response()
    assert form.modal is not None
    assert [i.outcome for i in await world.store.interviews.list(alice.id)] == [None]


async def test_an_outcome_for_an_interview_still_ahead_asks_first_in_words_and_by_command(world):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    ahead = await log(world, alice, "Umbrella", when="thursday 15:00")
    await alice.send_dm("got the offer from Umbrella")
    asked = await alice.wait_for_dm(predicate=heard)
    click = await alice.click(asked, label="Record it")
    await click.response()
    assert "hasn't happened yet" in asked.content
    assert [b[0] for b in asked.buttons] == ["Record anyway", "Don't record"]
    assert await outcome_of(world, alice, ahead) is None
    sure = await alice.click(asked, label="Record anyway")
    await sure.wait_followup()
    assert await outcome_of(world, alice, ahead) == "offer"

    other = await log(world, alice, "Hooli", when="friday 10:00")
    h = await alice.slash("interview outcome", interview=str(other), result="rejected")
    question = await h.wait_message()
    assert "hasn't happened yet" in question.content
    assert await outcome_of(world, alice, other) is None
    assert await world.store.prompts.find("checkin", other) is None
    later = await alice.click(question, label="Don't record")
    await later.response()
    assert await outcome_of(world, alice, other) is None
    # Ghosted and withdrew need no interview to have happened: recorded at once.
    h = await alice.slash("interview outcome", interview=str(other), result="withdrew")
    await h.wait_message()
    assert await outcome_of(world, alice, other) == "withdrew"


async def test_the_next_round_with_a_time_is_logged_not_read_as_an_outcome(world):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    await log(world, alice, "Initech", when="yesterday 10:00")
    await alice.send_dm("Initech moved me to the final round on Friday 3pm")
    said = await alice.wait_for_dm(predicate=lambda m: m.content.startswith(("That sounds", "I read")))
    assert said.content.startswith("That sounds like an onsite / final with **Initech**, Fri 27 Nov 15:00")


async def test_an_outcome_posted_in_the_notice_channel_is_offered_in_a_dm(world):
    admin = await world.alice.slash(
        "server notice-channel", guild=world.guild, options={"channel": world.guild.channel("interviews")}
    )
    await admin.wait_message()
    bob = world.bob
    await berlin(world, bob)
    world.clock.set(START)
    iid = await log(world, bob, "Acme")
    post = await bob.post(world.guild.channel("interviews"), "heard back from acme, it's a no", mention_bot=True)
    asked = await bob.wait_for_dm(predicate=lambda m: "I saw your post" in m.content)
    assert "Record **rejected**" in asked.content and "That sounds like" not in asked.content
    for _ in range(50):
        if post.reactions:
            break
        await asyncio.sleep(0.02)
    assert post.reactions == ["\N{MEMO}"]
    assert [m for m in world.guild.channel("interviews").messages if m.author.id == world.fake.bot_user_id] == []
    click = await bob.click(asked, label="Record it")
    await click.wait_followup()
    assert await outcome_of(world, bob, iid) == "rejected"


async def test_news_of_an_interview_never_logged_is_offered_for_logging(world):
    alice = world.alice
    await berlin(world, alice)
    world.clock.set(START)
    await alice.send_dm("just finished my phone screen with Globex, I think it's a no")
    said = await alice.wait_for_dm(predicate=lambda m: m.content.startswith(("That sounds", "I read")))
    assert said.content.startswith("That sounds like a recruiter screen with **Globex**"), said.content
