"""Issue 9 points 8 and 10 end to end: what the user reads.

User text (company, role, feedback) reaches Discord escaped, so it renders as typed and can't pose as the
bot; replies that grow with the user's data stay inside Discord's limits (the fake refuses anything
larger, and the ``world`` fixture fails the test on any refused request).
"""

from __future__ import annotations

import pytest

from bot.render import safe
from tests.cogs._clicked import settled

HOSTILE_COMPANY = "****Bold** Corp**"
HOSTILE_ROLE = "# Head -# sub [x](https://evil.example) ``` @everyone"
MARKUP = "\\*_~`|[]<>#-@"


def shown(content: str) -> str:
    """What Discord shows for ``content``'s escapes: a backslash before ASCII punctuation is dropped, and
    zero-width spaces are invisible."""
    out: list[str] = []
    i = 0
    while i < len(content):
        ch = content[i]
        if ch == "\\" and i + 1 < len(content) and content[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            out.append(content[i + 1])
            i += 2
            continue
        if ch != "\u200b":
            out.append(ch)
        i += 1
    return "".join(out)


def assert_escaped(content: str, typed: str) -> None:
    """``typed`` appears escaped in ``content``: read back as typed, and none of its markup left bare."""
    assert safe.inline(typed) in content, content
    assert typed not in content, content
    assert typed in shown(content)


async def log(world, user, company: str, role: str, when: str = "5 hours ago"):
    h = await user.slash("interview log", company=company, when=when, stage="technical", role=role)
    return h, await h.wait_message()


async def test_a_hostile_company_and_role_render_as_typed_in_log_list_outcome_and_feedback(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    _, reply = await log(world, world.alice, HOSTILE_COMPANY, HOSTILE_ROLE)
    assert_escaped(reply.content, HOSTILE_COMPANY)
    assert_escaped(reply.content, HOSTILE_ROLE)
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == HOSTILE_COMPANY  # stored as typed; only the display escapes

    h = await world.alice.slash("interview list")
    listed = (await h.wait_message()).embeds[0]["description"]
    assert_escaped(listed, HOSTILE_COMPANY)
    assert_escaped(listed, HOSTILE_ROLE)

    h = await world.alice.slash("interview outcome", interview=str(interview.id), result="rejected")
    rejected = (await h.wait_message()).content
    assert_escaped(rejected, HOSTILE_COMPANY)

    h = await world.alice.slash("feedback request", interview=str(interview.id))
    request = (await h.wait_message()).content
    assert_escaped(request, HOSTILE_COMPANY)
    # The note is a message of its own, copied as raw text (long press, Copy Text): the company and role
    # are in it exactly as typed, with no escapes or fences that a copy would carry into the letter.
    note = (await h.wait_followup()).content
    assert HOSTILE_ROLE in note and HOSTILE_COMPANY in note and "\\" not in note and "\u200b" not in note

    h = await world.alice.slash("feedback add", interview=str(interview.id), text="> quoted **loud** [a](https://x.y)")
    saved = (await h.wait_message()).content
    assert_escaped(saved, HOSTILE_COMPANY)
    h = await world.alice.slash("interview list")
    listed = (await h.wait_message()).embeds[0]["description"]
    assert "> quoted **loud**" not in listed and "> quoted **loud** [a](https://x.y)" in shown(listed)


async def test_a_company_read_from_a_dm_renders_as_typed(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    await world.alice.send_dm("onsite at [Acme](https://evil.example) tomorrow 3pm")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Shall I record it" in m.content)
    company = "Acme](https://evil.example"
    assert_escaped(offer.content, company)
    saved = await world.alice.click(offer, label="Yes, record it")
    await settled(saved)
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == company
    assert_escaped(offer.content, company)  # the offer turned into the "Saved" reply


# -- 9.8: replies that grow with the user's data stay inside Discord's limits ---------------------------

LONG_NAME = "Initech Global Holdings " + "Consolidated " * 5 + "Worldwide Enterprises"  # ~110 chars: cut to 100


@pytest.mark.limits(interviews_per_day=100)  # 60 rounds logged at once here; a person has them over months
async def test_an_outcome_after_many_rounds_is_delivered_whole_and_says_what_it_left_out(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    company = LONG_NAME[:100]
    rounds = 60
    for n in range(rounds, 0, -1):
        h = await world.alice.slash("interview log", company=company, when=f"{n} days ago", stage="technical")
        await h.wait_message()
    last = max(i.id for i in await world.store.interviews.list(world.alice.id))
    assert len(await world.store.interviews.rounds(world.alice.id, last)) == rounds
    for result in ("rejected", "offer"):
        h = await world.alice.slash("interview outcome", interview=str(last), result=result)
        reply = (await h.wait_message()).content
        assert len(reply) <= 2000 and "Something went wrong" not in reply
        assert f"{rounds - 5} more rounds" in reply  # the chain names the first and last rounds, counts the rest
    assert (await world.store.interviews.get(world.alice.id, last)).outcome == "offer"


@pytest.mark.limits(heavy_commands=100)  # 20 feedbacks in a row here; a person adds them over weeks
async def test_feedback_resembling_many_companies_is_delivered_and_counts_them(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    n = 20  # /interview list shows up to 25; 19 earlier companies of 100 characters already overflow a message
    for k in range(n):
        company = f"{k:02d} {LONG_NAME}"[:100]
        h = await world.alice.slash("interview log", company=company, when=f"{k + 1} days ago", stage="technical")
        await h.wait_message()
    ids = sorted(i.id for i in await world.store.interviews.list(world.alice.id))
    for iid in ids:
        h = await world.alice.slash(
            "feedback add", interview=str(iid), text="Needed more depth on system design and trade-offs."
        )
        reply = (await h.wait_message()).content
        assert len(reply) <= 2000 and "Something went wrong" not in reply
    assert "Counted as alike: earlier feedback from 00 Initech" in reply
    assert f"and {n - 1 - 5} others" in reply
    assert len(await world.store.feedback.for_user(world.alice.id)) == n


# -- 11.11: copy --------------------------------------------------------------------------------------


async def test_an_empty_company_name_is_not_offered_as_skippable(world):
    h = await world.alice.slash("interview log", company="   ", when="2 hours ago", stage="technical")
    reply = (await h.wait_message()).content
    assert "The company name is empty. Type a few words." in reply and "skip" not in reply
    assert await world.store.interviews.list(world.alice.id) == []


@pytest.mark.parametrize(
    ("said", "example"), [("tomorrow morning", "10am"), ("tomorrow evening", "6pm"), ("tomorrow", "2pm")]
)
async def test_a_day_without_a_time_gets_an_example_that_reads_and_parses_as_meant(world, said, example):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    h = await world.alice.slash("interview log", company="Acme", when=said, stage="technical")
    reply = (await h.wait_message()).content
    assert f"for example '{said} {example}'" in reply, reply
    assert await world.store.interviews.list(world.alice.id) == []
    h = await world.alice.slash("interview log", company="Acme", when=f"{said} {example}", stage="technical")
    assert "Saved: **Acme**" in (await h.wait_message()).content


async def test_the_notice_channel_reply_is_grammatical(world):
    admin = await world.alice.slash(
        "server notice-channel", guild=world.guild, options={"channel": world.guild.channel("interviews")}
    )
    reply = (await admin.wait_message()).content
    assert "posts that mention me and report an interview (the Message Content intent is off) get a quiet" in reply


async def test_the_fake_names_a_missing_minimum_length_plainly(world):
    await world.store.users.ensure(world.alice.id, world.clock.now())
    await world.store.users.set_timezone(world.alice.id, "UTC")
    _, reply = await log(world, world.alice, "Acme", "Engineer", when="tomorrow 10:00")
    edit = await world.alice.click(reply, label="Edit")
    await edit.response()
    with pytest.raises(ValueError, match=r"'Company' must be at most 100 characters$"):
        await edit.submit_modal({"Company": "x" * 101})


async def test_the_typing_help_shows_on_the_first_step_and_after_an_unreadable_reply_only(world):
    alice = world.alice
    await world.store.users.ensure(alice.id, world.clock.now())
    await world.store.users.set_timezone(alice.id, "UTC")
    h = await alice.slash("interview log", company="Acme", when="5 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(alice.id)
    h = await alice.slash("debrief start", interview=str(interview.id))
    first = await h.wait_message()
    help_line = "Or type your reply here."
    assert "step 1 of 12" in first.content and help_line in first.content

    def at_step(n: int):
        return lambda m: f"step {n} of 12" in m.content and bool(m.buttons or m.selects)

    seen = [first]
    for n, reply in enumerate(["Arrived early, two interviewers.", "skip", "skip", "skip", "skip", "skip"], 2):
        await alice.send_dm(reply)
        seen.append(await alice.wait_for_dm(predicate=at_step(n)))
    assert all(help_line not in m.content for m in seen[1:])  # steps 2-7: not repeated

    await alice.send_dm("pretty good I guess")  # step 7 wants a number from 1 to 5
    stuck = await alice.wait_for_dm(predicate=lambda m: "Nothing was saved for this step yet." in m.content)
    assert help_line in stuck.content and "Reply with a number from 1 to 5." in stuck.content
