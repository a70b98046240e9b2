"""Issue 12 end to end: /patterns with a chart for a season of data and in words for a new user; /focus
set from a debrief with its progress; the note the evening before an interview, once, outside quiet hours.

Through the real bot and the fake Discord. The season is written through the store (tests/season_store.py),
not through two hundred slash commands.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.patterns import DebriefFact, InterviewFact
from fakediscord import FakeMessage
from tests.coach.patterns_season import Season, season
from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_debrief_e2e import start_in, type_to
from tests.season_store import load_season

PNG = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # Tuesday, 13:00 in Berlin


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


def attachment_bytes(world, message: FakeMessage) -> list[tuple[str, bytes]]:
    return [(a.filename, a.data) for a in message.attachment_objs]


# -- /patterns ------------------------------------------------------------------------------------------


async def test_patterns_for_a_season_is_an_embed_with_a_png_chart(world):
    s = season(120, weeks=24, seed=7)
    await load_season(world.store, world.alice.id, s)
    await berlin(world, world.alice)
    world.clock.set(s.now)
    h = await world.alice.slash("patterns")
    reply = await h.wait_followup(timeout=30)
    assert not h.ephemeral  # her own DM with the bot
    [(name, data)] = attachment_bytes(world, reply)
    assert name == "patterns.png" and data.startswith(PNG) and len(data) > 5000
    [embed] = reply.embeds
    assert embed["image"]["url"] == "attachment://patterns.png"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "What keeps catching you out" in fields and "Your funnel" in fields
    assert "System design" in fields["What keeps catching you out"]
    assert f"From {len(s.interviews)} interviews" in embed["description"]
    # Reading wrote nothing: no focus was taken on by looking.
    assert await world.store.debriefs.active_focuses(world.alice.id) == []

    # In a server the same reply is only for her.
    h = await world.alice.slash("patterns", guild=world.guild, channel=world.guild.channel("general"))
    reply = await h.wait_followup(timeout=30)
    assert h.ephemeral and reply.attachment_objs


async def process_gone(pid: int, timeout: float = 10.0) -> bool:
    """True once process ``pid`` has exited (a child the bot started: reaped by its executor)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_chart_is_drawn_in_a_worker_process_cached_per_user_and_stopped_with_the_bot(world):
    s = season(60, weeks=12, seed=3)
    await load_season(world.store, world.alice.id, s)
    world.clock.set(s.now)
    h = await world.alice.slash("patterns")
    first = attachment_bytes(world, await h.wait_followup(timeout=30))
    pid = await world.bot.charts.worker_pid()
    assert pid != os.getpid()  # drawn in another process, not a thread of the bot's
    assert world.bot.charts.draws == 1

    # The same data again: the same PNG, from the cache, drawn nothing.
    h = await world.alice.slash("patterns")
    assert attachment_bytes(world, await h.wait_followup(timeout=30)) == first
    assert world.bot.charts.draws == 1

    # New data (one more finished debrief): drawn again.
    when = s.now - timedelta(days=2)
    newer = Season(
        interviews=[InterviewFact(1, "Newco", "technical", when, None)],
        debriefs=[DebriefFact(1, when + timedelta(hours=3), topics=("coding",), stumbles="Blanked on recursion.")],
    )
    await load_season(world.store, world.alice.id, newer)
    h = await world.alice.slash("patterns")
    [(_name, data)] = attachment_bytes(world, await h.wait_followup(timeout=30))
    assert data.startswith(PNG) and world.bot.charts.draws == 2

    # /forget lets go of the chart held in memory too.
    h = await world.alice.slash("forget")
    confirm = await h.wait_message()
    assert world.alice.id in world.bot.charts
    await (await world.alice.click(confirm, label="Delete everything")).response()  # answered before it deletes
    await wait_until(lambda: "records deleted" in confirm.content)
    assert world.alice.id not in world.bot.charts

    await world.restart()  # the bot closes (and a new one starts, with no worker until a chart is asked for)
    assert await process_gone(pid), "the chart worker outlived the bot"


@pytest.mark.limits(heavy_commands=100)
async def test_a_crashed_chart_worker_gives_the_patterns_in_words_and_a_new_worker_draws_the_next(world):
    s = season(60, weeks=12, seed=3)
    await load_season(world.store, world.alice.id, s)
    world.clock.set(s.now)
    pid = await world.bot.charts.worker_pid()
    os.kill(pid, signal.SIGKILL)
    assert await process_gone(pid)

    h = await world.alice.slash("patterns")
    reply = await h.wait_followup(timeout=30)
    assert reply.attachment_objs == [] and "couldn't be drawn this time" in reply.content
    [embed] = reply.embeds
    assert "image" not in embed and "Your funnel" in {f["name"] for f in embed["fields"]}
    assert world.bot.charts.restarts == 1

    h = await world.alice.slash("patterns")
    reply = await h.wait_followup(timeout=30)
    [(_name, data)] = attachment_bytes(world, reply)
    assert data.startswith(PNG) and await world.bot.charts.worker_pid() != pid


async def test_patterns_for_a_new_user_says_in_words_what_more_is_needed(world):
    h = await world.bob.slash("patterns")
    reply = await h.wait_followup(timeout=10)
    assert reply.attachment_objs == [] and reply.embeds == []
    assert "too little to call anything a pattern" in reply.content
    assert "3 more interviews" in reply.content and "2 more finished debriefs" in reply.content

    # One interview is still a list, not a picture.
    await berlin(world, world.bob)
    await world.bob.slash("interview log", company="Acme", when="yesterday 10:00", stage="technical")
    h = await world.bob.slash("patterns", guild=world.guild, channel=world.guild.channel("general"))
    reply = await h.wait_followup(timeout=10)
    assert h.ephemeral and reply.attachment_objs == []
    assert "So far: 1 interview" in reply.content and "2 more interviews" in reply.content


# -- /focus -----------------------------------------------------------------------------------------------


async def test_focus_from_a_debrief_is_offered_not_forced_and_its_progress_is_shown(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("focus show")
    assert "No focus yet" in (await h.wait_message()).content
    h = await world.alice.slash("focus set", focus="Write and rehearse a STAR story about conflict")
    assert "Your focus: **Write and rehearse a STAR story about conflict**" in (await h.wait_message()).content

    h = await world.alice.slash("interview log", company="Acme", when="5 hours ago", stage="system_design")
    await h.wait_message()
    [interview] = await world.store.interviews.search(world.alice.id, "Acme")
    await start_in(world.alice, interview.id)
    for n in range(2, 13):
        await type_to(world.alice, "skip", n)
    await world.alice.send_dm("Practise capacity estimates out loud with a timer")
    card = await world.alice.wait_for_dm(predicate=lambda m: bool(m.embeds) and "debrief done" in m.content)
    assert "Your current focus stays **Write and rehearse a STAR story about conflict**" in card.content
    assert [b[0] for b in card.buttons] == ["Make it a focus"]
    focuses = await world.store.debriefs.active_focuses(world.alice.id)
    assert [f.text for f in focuses] == ["Write and rehearse a STAR story about conflict"]  # not replaced

    await world.restart()  # the button is persistent
    clicked = await world.alice.click(card, label="Make it a focus")
    answer = await clicked.wait_followup()
    assert "Practise capacity estimates out loud with a timer" in answer.content
    focuses = await world.store.debriefs.active_focuses(world.alice.id)
    assert [f.interview_id for f in focuses] == [None, interview.id]
    assert card.buttons == []

    h = await world.alice.slash("focus show")
    shown = (await h.wait_message()).content
    assert "Your two focuses" in shown and "Too early to tell" in shown
    assert "debriefs on behavioural stories since this focus began" in shown

    h = await world.alice.slash("focus set", focus="A third thing")
    assert "two focuses already" in (await h.wait_message()).content
    choices = await world.alice.autocomplete("focus done", focused="focus", value="")
    assert next(c["name"] for c in choices) == "Write and rehearse a STAR story about conflict"
    h = await world.alice.slash("focus done", focus="not-a-focus")
    assert "can't find that focus" in (await h.wait_message()).content
    h = await world.alice.slash("focus done", focus=choices[0]["value"])
    assert "Closed" in (await h.wait_message()).content
    assert len(await world.store.debriefs.active_focuses(world.alice.id)) == 1


async def test_focus_progress_is_judged_once_there_are_enough_debriefs(world):
    """A focus begun mid-season: the debriefs after it touching the topic decide the verdict."""
    s = season(120, weeks=24, seed=7)
    await load_season(world.store, world.alice.id, s)
    world.clock.set(s.now - timedelta(weeks=10))
    h = await world.alice.slash("focus set", focus="System design: capacity estimates under a timer")
    await h.wait_message()
    world.clock.set(s.now)
    h = await world.alice.slash("focus show")
    shown = (await h.wait_message()).content
    assert "Since this focus began, system design was a stumble in" in shown


async def test_typing_a_focus_does_not_run_the_report_on_every_keystroke(world, monkeypatch):
    s = season(60, weeks=12, seed=3)
    await load_season(world.store, world.alice.id, s)
    await load_season(world.store, world.bob.id, s)
    world.clock.set(s.now)
    service = world.bot.services.patterns
    runs: list[int] = []
    report = service.report

    async def counted(user_id: int):
        runs.append(user_id)
        return await report(user_id)

    monkeypatch.setattr(service, "report", counted)  # our own service, called through: the seam counted
    offered = []
    for typed in ("", "s", "sy", "sys", "syst", "system"):
        choices = await world.alice.autocomplete("focus set", focused="focus", value=typed)
        offered.append([c["name"] for c in choices])
    assert runs == [world.alice.id]  # six keystrokes, one report
    assert any(name.startswith("System design") for name in offered[0])
    assert offered[-1][0] == "system" and all("system" in name.lower() for name in offered[-1])

    # Keystrokes that arrive together share one run.
    await asyncio.gather(*(world.bob.autocomplete("focus set", focused="focus", value=v) for v in ("a", "b", "c")))
    assert runs == [world.alice.id, world.bob.id]

    # Her data changes (a newly finished debrief): the next keystroke works the suggestions out again.
    when = s.now - timedelta(days=1)
    newer = Season(
        interviews=[InterviewFact(1, "Newco", "technical", when, None)],
        debriefs=[DebriefFact(1, when + timedelta(hours=3), topics=("coding",), stumbles="Blanked on recursion.")],
    )
    await load_season(world.store, world.alice.id, newer)
    await world.alice.autocomplete("focus set", focused="focus", value="sys")
    await world.alice.autocomplete("focus set", focused="focus", value="syst")
    assert runs == [world.alice.id, world.bob.id, world.alice.id]

    # And after a while, even with nothing changed.
    world.advance(minutes=3)
    await world.alice.autocomplete("focus set", focused="focus", value="sys")
    assert runs == [world.alice.id, world.bob.id, world.alice.id, world.alice.id]


# -- the note before an interview -------------------------------------------------------------------------


def is_note(message: FakeMessage) -> bool:
    return message.content.startswith("Tomorrow:")


async def past_system_design_stumbles(world, user) -> None:
    days = (20, 10)
    s = Season(
        interviews=[
            InterviewFact(n, f"Past {n}", "system_design", START - timedelta(days=d), "rejected")
            for n, d in enumerate(days, 1)
        ],
        debriefs=[
            DebriefFact(
                n,
                START - timedelta(days=d) + timedelta(hours=3),
                topics=("system_design",),
                stumbles="Ran out of time on the capacity estimates.",
            )
            for n, d in enumerate(days, 1)
        ],
    )
    await load_season(world.store, user.id, s)


async def quiet_for(world, seconds: float = 0.3) -> None:
    await world.idle()
    await asyncio.sleep(seconds)


async def test_the_note_comes_once_the_evening_before_with_the_focus_and_a_past_note(world):
    await past_system_design_stumbles(world, world.alice)
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("focus set", focus="Capacity estimates out loud with a timer")
    await h.wait_message()
    h = await world.alice.slash("interview log", company="Globex", when="Thursday 10:00", stage="system_design")
    await h.wait_message()
    [interview] = await world.store.interviews.search(world.alice.id, "Globex")
    prompt = await world.store.prompts.find("pre_interview", interview.id)
    evening = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wednesday 19:00 in Berlin
    assert (prompt.state, prompt.due_at) == ("pending", evening)

    world.clock.set(evening - timedelta(minutes=1))
    await quiet_for(world)
    assert [m for m in world.alice.dm_messages if is_note(m)] == []
    world.advance(minutes=1, seconds=1)
    note = await world.alice.wait_for_dm(predicate=is_note)
    assert "**Globex**" in note.content and "Capacity estimates out loud with a timer" in note.content
    assert "System design: a stumble twice so far" in note.content and "capacity estimates" in note.content
    assert "/settings pre-interview" in note.content
    await world.restart()
    shown = await world.alice.click(note, label="How's my focus going?")
    assert "Capacity estimates" in (await shown.wait_message()).content

    world.advance(days=2)
    await quiet_for(world)
    assert len([m for m in world.alice.dm_messages if is_note(m)]) == 1
    assert (await world.store.prompts.find("pre_interview", interview.id)).state == "sent"


async def test_the_note_keeps_out_of_quiet_hours_moves_with_the_interview_and_can_be_turned_off(world):
    await past_system_design_stumbles(world, world.alice)
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("settings quiet-hours", hours="18:00-08:00")
    await h.wait_message()
    h = await world.alice.slash("interview log", company="Globex", when="Thursday 11:00", stage="system_design")
    await h.wait_message()
    [interview] = await world.store.interviews.search(world.alice.id, "Globex")
    prompt = await world.store.prompts.find("pre_interview", interview.id)
    morning = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 19:00 is quiet: 08:00 Thursday, three hours before
    assert prompt.due_at == morning

    # Moved to the next week: the note moves with it.
    profile = await world.bot.services.interviews.profile(world.alice.id)
    moved = interview.starts_at + timedelta(days=7)
    await world.bot.services.interviews.edit(
        profile, interview.id, company="Globex", role=None, stage="system_design", starts_at=moved, length_min=60
    )
    assert (await world.store.prompts.find("pre_interview", interview.id)).due_at == morning + timedelta(days=7)

    world.clock.set(morning + timedelta(minutes=5))
    await quiet_for(world)
    assert [m for m in world.alice.dm_messages if is_note(m)] == []

    h = await world.alice.slash("settings pre-interview", on=False)
    assert "I cancelled 1" in (await h.wait_message()).content
    assert (await world.store.prompts.find("pre_interview", interview.id)).state == "cancelled"
    world.clock.set(morning + timedelta(days=7, minutes=5))
    await quiet_for(world)
    assert [m for m in world.alice.dm_messages if is_note(m)] == []


async def test_deleting_the_interview_cancels_its_note(world):
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("interview log", company="Globex", when="Thursday 10:00", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.search(world.alice.id, "Globex")
    assert (await world.store.prompts.find("pre_interview", interview.id)).state == "pending"
    await world.bot.services.interviews.delete(world.alice.id, interview.id)
    assert await world.store.prompts.find("pre_interview", interview.id) is None  # its key let go (a new
    # interview may get the id), the row kept, cancelled:
    every = await world.store.prompts.for_user(world.alice.id, ("pending", "claimed", "sent", "cancelled"))
    assert [p.state for p in every if p.kind == "pre_interview"] == ["cancelled"]


async def test_the_note_survives_a_restart_and_says_what_she_made_of_the_company_last_time(world):
    """No focus, no stumbles: what she said about Globex after the first round is enough for a note."""
    first = START - timedelta(days=6)
    s = Season(
        interviews=[InterviewFact(1, "Globex", "phone_screen", first, "advanced")],
        debriefs=[
            DebriefFact(
                1,
                first + timedelta(hours=2),
                company_view="unsure",
                company_note="Nobody could say who owns on-call",
            )
        ],
    )
    await load_season(world.store, world.alice.id, s)
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("interview log", company="Globex", when="Thursday 10:00", stage="technical")
    await h.wait_message()
    [interview] = [i for i in await world.store.interviews.search(world.alice.id, "Globex") if i.stage == "technical"]
    evening = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Wednesday 19:00 in Berlin
    assert (await world.store.prompts.find("pre_interview", interview.id)).due_at == evening

    await world.restart()  # the note is in the store, not in memory
    world.clock.set(evening - timedelta(minutes=1))
    await quiet_for(world)
    assert [m for m in world.alice.dm_messages if is_note(m)] == []
    world.advance(minutes=1, seconds=1)
    note = await world.alice.wait_for_dm(predicate=is_note)
    assert "After your last round with Globex you weren't sure about them" in note.content
    assert "Nobody could say who owns on-call" in note.content and "ask what would settle it" in note.content

    await world.restart()
    world.advance(hours=12)
    await quiet_for(world)
    assert len([m for m in world.alice.dm_messages if is_note(m)]) == 1


async def test_with_quiet_evenings_the_note_arrives_once_when_they_end(world):
    await past_system_design_stumbles(world, world.alice)
    await berlin(world, world.alice)
    world.clock.set(START)
    h = await world.alice.slash("settings quiet-hours", hours="18:00-08:00")
    await h.wait_message()
    h = await world.alice.slash("interview log", company="Globex", when="Thursday 11:00", stage="system_design")
    await h.wait_message()
    morning = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 Thursday in Berlin, when quiet hours end

    world.clock.set(datetime(2026, 11, 25, 18, 1, tzinfo=UTC))  # 19:01 the evening before: quiet, so nothing
    await quiet_for(world)
    world.clock.set(morning - timedelta(minutes=1))
    await quiet_for(world)
    assert [m for m in world.alice.dm_messages if is_note(m)] == []
    await world.restart()
    world.clock.set(morning + timedelta(seconds=1))
    note = await world.alice.wait_for_dm(predicate=is_note)
    assert "**Globex**" in note.content and "System design: a stumble twice so far" in note.content
    world.advance(hours=2)
    await quiet_for(world)
    assert len([m for m in world.alice.dm_messages if is_note(m)]) == 1
