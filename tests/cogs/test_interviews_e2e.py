"""Issue 4 end to end: interviews in, debrief prompts out, through the real bot and the fake Discord."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from fakediscord import CommandUnavailable, FakeMessage
from tests.cogs._clicked import settled

ASKED = "How did it go"


def is_prompt(message: FakeMessage) -> bool:
    return ASKED in message.content


def prompts_in(user) -> list[FakeMessage]:
    return [m for m in user.dm_messages if is_prompt(m)]


async def set_zone(user, zone: str) -> None:
    h = await user.slash("settings timezone", zone=zone)
    message = await h.wait_message()
    assert zone in message.content


async def log(user, **options):
    h = await user.slash("interview log", **options)
    return h, await h.wait_message()


async def no_new_dm(user, seconds: float = 0.4) -> None:
    before = len(user.dm_messages)
    await asyncio.sleep(seconds)
    assert len(user.dm_messages) == before, [m.content for m in user.dm_messages[before:]]


# -- logging and prompting ---------------------------------------------------------------------------


async def test_logged_past_interview_prompts_at_once(world):
    await set_zone(world.alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 23, 13, 0, tzinfo=UTC))  # 14:00 in Berlin
    h, reply = await log(world.alice, company="Acme", when="5 hours ago", stage="technical")
    assert not h.ephemeral  # in a DM the reply stays in the conversation
    assert "Saved: **Acme**" in reply.content and "sending the debrief prompt to your DMs now" in reply.content
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    assert "Acme" in prompt.content
    labels = [b[0] for b in prompt.buttons]
    assert labels == ["Start debrief", "In 1 h", "In 3 h", "Tomorrow morning", "Skip"]
    await world.idle()
    assert len(prompts_in(world.alice)) == 1


async def test_future_interview_prompts_at_its_time_and_not_before(world):
    await set_zone(world.alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 09:00 Berlin
    _, reply = await log(world.alice, company="Globex", when="today 11:00", stage="onsite_final", length=90)
    # ends 12:30 local, prompt 3 h later: 15:30 local = 14:30 UTC
    assert "**today 15:30**" in reply.content
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    assert (await world.store.prompts.find("debrief", iid)).due_at == datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    world.clock.set(datetime(2026, 11, 23, 14, 29, tzinfo=UTC))
    await world.idle()
    await no_new_dm(world.alice)
    world.advance(minutes=1, seconds=1)
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    assert "Globex" in prompt.content and "later than planned" not in prompt.content


async def test_first_contact_asks_for_the_zone_then_records(world):
    _, reply = await log(world.bob, company="Initech", when="tomorrow 10:30", stage="technical")
    assert "which time zone" in reply.content
    assert await world.store.interviews.list(world.bob.id) == []
    chosen = await world.bob.select(reply, ["America/New_York"])
    await settled(chosen)
    assert "America/New_York" in reply.content or "America/New_York" in (
        chosen.message.content if chosen.message else ""
    )
    [interview] = await world.store.interviews.list(world.bob.id)
    assert interview.company == "Initech"
    local = interview.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (10, 30)


async def test_interview_list_shows_upcoming_and_recent(world):
    await set_zone(world.alice, "UTC")
    await log(world.alice, company="Past Co", when="3 hours ago", stage="technical")
    await log(world.alice, company="Future Co", when="tomorrow 10:00", stage="behavioural", role="Backend dev")
    h = await world.alice.slash("interview list")
    text = (await h.wait_message()).embeds[0]["description"]
    assert text.index("Upcoming") < text.index("Future Co") < text.index("Recent") < text.index("Past Co")
    assert "Backend dev" in text


async def test_changing_when_the_prompt_comes_and_deleting(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    changed = await world.alice.select(reply, ["6"])
    assert "**today 17:00**" in (await changed.wait_message()).content
    assert (await world.store.prompts.find("debrief", iid)).due_at == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    ask = await world.alice.click(reply, label="Delete")
    confirm = await ask.wait_message()
    done = await world.alice.click(confirm, label="Delete it")
    await done.response()
    assert await world.store.interviews.list(world.alice.id) == []
    assert await world.store.prompts.find("debrief", iid) is None  # cancelled, and no longer under its id
    world.clock.set(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))
    await world.idle()
    await no_new_dm(world.alice)


async def test_editing_the_interview_moves_its_prompt(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    edit = await world.alice.click(reply, label="Edit")
    await edit.response()
    assert edit.modal is not None
    saved = await edit.submit_modal({"When (your time)": "tomorrow 15:00", "Company": "Hooli XYZ"})
    text = (await saved.wait_message()).content
    assert "Hooli XYZ" in text and "**tomorrow 19:00**" in text
    interview = await world.store.interviews.get(world.alice.id, iid)
    assert interview.company == "Hooli XYZ"
    assert (await world.store.prompts.find("debrief", iid)).due_at == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


# -- noticing --------------------------------------------------------------------------------------


async def test_dm_noticing_asks_to_confirm_before_recording(world):
    await set_zone(world.alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # a Monday
    await world.alice.send_dm("final round with Acme on Thursday at 3pm")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Acme" in m.content)
    assert "Shall I record it" in offer.content and "Thu 26 Nov 15:00" in offer.content
    assert await world.store.interviews.list(world.alice.id) == []
    saved = await world.alice.click(offer, label="Yes, record it")
    await settled(saved)
    [interview] = await world.store.interviews.list(world.alice.id)
    assert (interview.company, interview.stage, interview.source) == ("Acme", "onsite_final", "dm")
    assert interview.starts_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


async def test_dm_noticing_can_be_dismissed_and_other_dms_get_help(world):
    await set_zone(world.alice, "UTC")
    await world.alice.send_dm("just finished my phone screen with Globex")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Globex" in m.content)
    drop = await world.alice.click(offer, label="Not an interview")
    await settled(drop)
    assert await world.store.interviews.list(world.alice.id) == []
    await world.alice.send_dm("hello there")
    hint = await world.alice.wait_for_dm(predicate=lambda m: "/help" in m.content)
    assert "interviews" in hint.content


async def test_notice_channel_post_gets_a_reaction_and_a_dm(world):
    admin = await world.alice.slash(
        "server notice-channel",
        guild=world.guild,
        channel=world.guild.channel("general"),
        options={"channel": world.guild.channel("interviews")},
    )
    assert admin.ephemeral and "I'll watch" in (await admin.wait_message()).content
    await set_zone(world.bob, "UTC")
    # Without the Message Content intent only a post that mentions the bot has content.
    post = await world.bob.post(
        world.guild.channel("interviews"), "onsite at Acme tomorrow 2pm, wish me luck", mention_bot=True
    )
    offer = await world.bob.wait_for_dm(predicate=lambda m: "Acme" in m.content)
    assert "I saw your post" in offer.content
    for _ in range(50):
        if post.reactions:
            break
        await asyncio.sleep(0.02)
    assert post.reactions == ["\N{MEMO}"]
    bot_posts = [m for m in world.guild.channel("interviews").messages if m.author.id == world.fake.bot_user_id]
    assert bot_posts == []  # nothing about it in the server
    saved = await world.bob.click(offer, label="Yes, record it")
    await settled(saved)
    [interview] = await world.store.interviews.list(world.bob.id)
    assert interview.source == "notice" and interview.guild_id == world.guild.id


async def test_notice_channel_without_content_intent_ignores_unmentioned_posts(world):
    admin = await world.alice.slash(
        "server notice-channel", guild=world.guild, options={"channel": world.guild.channel("interviews")}
    )
    await admin.wait_message()
    await world.bob.post(world.guild.channel("interviews"), "onsite at Acme tomorrow 2pm")
    await no_new_dm(world.bob)
    show = await world.alice.slash("server show", guild=world.guild)
    assert "Message Content intent:** off" in (await show.wait_message()).content


async def test_server_commands_need_manage_server(world):
    [server] = [c for c in world.fake.commands if c["name"] == "server"]
    assert int(server["default_member_permissions"]) == 32 and server["contexts"] == [0]
    with pytest.raises(CommandUnavailable):  # Discord doesn't offer it to bob
        await world.bob.slash(
            "server notice-channel", guild=world.guild, options={"channel": world.guild.channel("interviews")}
        )
    assert await world.store.guilds.notice_channels() == set()


# -- snooze and skip, across a restart ---------------------------------------------------------------


async def test_snooze_then_skip_work_across_a_restart(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    await log(world.alice, company="Acme", when="5 hours ago", stage="technical")
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    await world.restart()
    snooze = await world.alice.click(prompt, label="In 3 h")
    await snooze.response()
    assert "I'll ask again today 15:00" in prompt.content and prompt.buttons == []
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    due = (await world.store.prompts.find("debrief", iid)).due_at
    assert timedelta(0) <= due - datetime(2026, 11, 23, 15, 0, tzinfo=UTC) < timedelta(seconds=10)  # the clock runs on
    await world.restart()
    world.clock.set(due + timedelta(seconds=1))
    again = await world.alice.wait_for_dm(predicate=lambda m: is_prompt(m) and m.id != prompt.id)
    await world.restart()
    skip = await world.alice.click(again, label="Skip")
    await skip.response()
    assert "Skipped" in again.content
    assert (await world.store.prompts.find("debrief", iid)).state == "cancelled"
    assert len(prompts_in(world.alice)) == 2


async def test_snoozing_into_quiet_hours_waits_for_the_morning(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 20, 30, tzinfo=UTC))
    await log(world.alice, company="Acme", when="5 hours ago", stage="technical")
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    snooze = await world.alice.click(prompt, label="In 3 h")  # 23:30 is inside 22:00-08:00
    await snooze.response()
    assert "tomorrow 08:00" in prompt.content


# -- quiet hours across daylight saving, in two zones ------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "quiet", "now", "when", "due"),
    [
        # Berlin springs forward on 28 Mar 2027: 08:00 local is 06:00 UTC that morning (07:00 the day before).
        (
            "Europe/Berlin",
            "22:00-08:00",
            datetime(2027, 3, 27, 18, 0, tzinfo=UTC),
            "today 20:00",
            datetime(2027, 3, 28, 6, 0, tzinfo=UTC),
        ),
        # New York springs forward on 14 Mar 2027: 07:00 local is 11:00 UTC that morning (12:00 the day before).
        (
            "America/New_York",
            "23:00-07:00",
            datetime(2027, 3, 13, 22, 0, tzinfo=UTC),
            "today 20:00",
            datetime(2027, 3, 14, 11, 0, tzinfo=UTC),
        ),
        # New York falls back on 7 Nov 2027: 07:00 local is 12:00 UTC (11:00 the day before).
        (
            "America/New_York",
            "23:00-07:00",
            datetime(2027, 11, 6, 22, 0, tzinfo=UTC),
            "today 20:00",
            datetime(2027, 11, 7, 12, 0, tzinfo=UTC),
        ),
    ],
)
async def test_quiet_hours_across_a_daylight_saving_change(world, zone, quiet, now, when, due):
    await set_zone(world.alice, zone)
    h = await world.alice.slash("settings quiet-hours", hours=quiet)
    await h.wait_message()
    world.clock.set(now)
    # Ends 21:00 local; 3 h later is midnight, inside quiet hours: the prompt waits for their end.
    await log(world.alice, company="Acme", when=when, stage="technical")
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    assert (await world.store.prompts.find("debrief", iid)).due_at == due
    world.clock.set(due - timedelta(minutes=1))
    await world.idle()
    await no_new_dm(world.alice)
    world.clock.set(due + timedelta(seconds=1))
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    assert "Acme" in prompt.content


async def test_late_prompt_found_at_start_is_held_through_quiet_hours(world):
    """A prompt that fell due while the bot was down is not sent at 3 am: it waits for the morning."""
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    await log(world.alice, company="Acme", when="today 15:00", stage="technical")  # prompt 19:00
    await world.stop()
    world.clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # down until 03:00
    await world.start()
    await world.idle()
    await no_new_dm(world.alice)
    world.clock.set(datetime(2026, 11, 24, 8, 0, 1, tzinfo=UTC))
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    assert "later than planned" in prompt.content


# -- closed DMs ----------------------------------------------------------------------------------


async def test_closed_dms_keep_the_prompt_tell_the_user_in_the_server_and_back_off(world):
    await set_zone(world.bob, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    world.bob.dms_open = False
    h, _ = await log(
        world.bob,
        company="Acme",
        when="5 hours ago",
        stage="technical",
        guild=world.guild,
        channel=world.guild.channel("general"),
    )
    assert h.ephemeral
    note = await world.bob.wait_for_message(
        world.guild.channel("general"), predicate=lambda m: "can't DM you" in m.content
    )
    assert f"<@{world.bob.id}>" in note.content and "Acme" not in note.content
    await world.idle()
    iid = (await world.store.interviews.list(world.bob.id))[0].id
    prompt = await world.store.prompts.find("debrief", iid)
    assert prompt.state == "pending" and prompt.last_error == "dms closed"
    assert prompt.due_at >= world.clock.now() + timedelta(minutes=4)
    attempts = prompt.attempts
    await asyncio.sleep(0.3)
    assert (await world.store.prompts.find("debrief", iid)).attempts == attempts  # no tight loop
    world.bob.dms_open = True
    world.clock.set(prompt.due_at + timedelta(seconds=1))
    delivered = await world.bob.wait_for_dm(predicate=is_prompt)
    assert "Acme" in delivered.content
    told = [m for m in world.guild.channel("general").messages if "can't DM you" in m.content]
    assert len(told) == 1  # told once


# -- bad input changes nothing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"company": "Acme", "when": "the day after never", "stage": "technical"}, "Couldn't read"),
        ({"company": "Acme", "when": "Feb 30 2pm", "stage": "technical"}, "February"),
        ({"company": "Acme", "when": "25:00", "stage": "technical"}, ""),
        ({"company": "A" * 300, "when": "today 2pm", "stage": "technical"}, "100"),
        ({"company": "   ", "when": "today 2pm", "stage": "technical"}, "ompany"),
    ],
)
async def test_bad_input_gets_a_clear_reply_and_records_nothing(world, options, expected):
    await set_zone(world.alice, "UTC")
    h = await world.alice.slash("interview log", guild=world.guild, **options)
    reply = await h.wait_message()
    assert h.ephemeral
    assert expected in reply.content
    assert "Something went wrong" not in reply.content
    assert await world.store.interviews.list(world.alice.id) == []
    assert await world.store.prompts.for_user(world.alice.id) == []


async def test_unknown_zone_is_refused(world):
    h = await world.alice.slash("settings timezone", zone="Atlantis/Underwater")
    reply = await h.wait_message()
    assert h.ephemeral and "Atlantis" in reply.content
    user = await world.store.users.get(world.alice.id)
    assert user is None or user.timezone is None


async def test_markdown_and_mentions_in_names_are_kept_as_text_and_never_ping(world):
    await set_zone(world.alice, "UTC")
    name = "**Evil** <@everyone> <@1234> Corp"
    h = await world.alice.slash("interview log", guild=world.guild, company=name, when="today 2pm", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == name
    for request in world.fake.requests:
        body = request.json if isinstance(request.json, dict) else {}
        if "allowed_mentions" in body:
            assert body["allowed_mentions"].get("parse") == []


async def test_zone_autocomplete_offers_cities_and_iana_names(world):
    choices = await world.alice.autocomplete("settings timezone", focused="zone", value="berl")
    assert any(c["value"] == "Europe/Berlin" for c in choices)
    choices = await world.alice.autocomplete("settings timezone", focused="zone", value="asia/kol")
    assert choices[0]["value"] == "Asia/Kolkata"


async def test_sent_messages_leave_no_view_in_memory(world):
    """Every view is made of DynamicItems: discord.py keeps nothing per message, however many go out."""
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    for n in range(3):
        await log(world.alice, company=f"Co{n}", when="5 hours ago", stage="technical")
    await world.alice.send_dm("just finished my phone screen with Globex")
    await world.alice.wait_for_dm(predicate=lambda m: "Globex" in m.content)
    await world.fake.state.changes.wait_until(lambda: len(prompts_in(world.alice)) == 3, 5)
    assert list(world.bot.persistent_views) == []


async def test_choosing_no_prompt_then_a_time_brings_the_prompt_back(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    none = await world.alice.select(reply, ["none"])
    assert "No debrief prompt" in (await none.wait_message()).content
    assert (await world.store.prompts.find("debrief", iid)).state == "cancelled"
    back = await world.alice.select(reply, ["2"])
    assert "**today 13:00**" in (await back.wait_message()).content
    assert (await world.store.prompts.find("debrief", iid)).state == "pending"


async def test_a_new_round_cancels_the_earlier_rounds_ghosting_nudge(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    await log(world.alice, company="Acme", when="yesterday 10:00", stage="recruiter_screen")
    await log(world.alice, company="Acme", when="today 10:00", stage="technical")
    first, second = sorted(await world.store.interviews.list(world.alice.id), key=lambda i: i.starts_at)
    assert second.previous_id == first.id
    assert (await world.store.prompts.find("ghosting", first.id)).state == "cancelled"
    assert (await world.store.prompts.find("ghosting", second.id)).state == "pending"


async def test_recorded_feedback_appears_in_the_list_details(world):
    await set_zone(world.alice, "UTC")
    await log(world.alice, company="Acme", when="3 hours ago", stage="technical")
    iid = (await world.store.interviews.list(world.alice.id))[0].id
    h = await world.alice.slash("interview outcome", interview=str(iid), result="rejected")
    await h.wait_message()
    h = await world.alice.slash("feedback add", interview=str(iid), text="Your system design answer lacked trade-offs.")
    await h.wait_message()
    listing = await world.alice.slash("interview list")
    text = (await listing.wait_message()).embeds[0]["description"]
    acme = text.index("Acme")
    assert "rejected" in text[acme:]
    assert "lacked trade-offs" in text[acme:]


def test_long_lists_are_cut_at_a_line_and_say_so():
    from bot.render.interviews import fit

    text = "\n".join(f"• line {n} " + "x" * 50 for n in range(100))
    cut = fit(text)
    kept = cut.splitlines()[:-1]
    assert len(cut) <= 2000 and cut.endswith(f"… and {100 - len(kept)} more lines")
    assert kept == text.splitlines()[: len(kept)]
    assert all(line.startswith(("•", "…")) for line in cut.splitlines())


async def test_reply_says_when_a_prompt_waits_for_the_end_of_quiet_hours(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    _, reply = await log(world.alice, company="Acme", when="5 hours ago", stage="technical")
    assert "**tomorrow 08:00** (when your quiet hours end)" in reply.content


async def test_a_double_click_on_record_records_the_interview_once(world):
    await set_zone(world.alice, "UTC")
    await world.alice.send_dm("just finished my phone screen with Globex")
    offer = await world.alice.wait_for_dm(predicate=lambda m: "Globex" in m.content)
    first, second = await asyncio.gather(
        world.alice.click(offer, label="Yes, record it"), world.alice.click(offer, label="Yes, record it")
    )
    await settled(first)
    await settled(second)
    assert [i.company for i in await world.store.interviews.list(world.alice.id)] == ["Globex"]
    texts = [f.content for h in (first, second) for f in h.followups]  # answered first: the refusal follows
    assert any("already recorded" in t for t in texts)


async def test_an_interview_logged_after_deleting_the_newest_one_gets_its_own_prompts(world):
    """SQLite gives a new row the id of the newest one deleted: the prompts of the deleted interview must
    not stand in for the new one's (a cancelled or sent prompt is never scheduled again)."""
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    _, reply = await log(world.alice, company="Hooli", when="today 10:00", stage="technical")
    ask = await world.alice.click(reply, label="Delete")
    done = await world.alice.click(await ask.wait_message(), label="Delete it")
    await done.response()
    _, again = await log(world.alice, company="Globex", when="today 11:00", stage="technical")
    assert "I'll DM you for a short debrief" in again.content
    [interview] = await world.store.interviews.list(world.alice.id)
    for kind in ("debrief", "ghosting"):
        assert (await world.store.prompts.find(kind, interview.id)).state == "pending"
    world.clock.set((await world.store.prompts.find("debrief", interview.id)).due_at)
    prompt = await world.alice.wait_for_dm(predicate=is_prompt)
    assert "Globex" in prompt.content
