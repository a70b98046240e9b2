"""Issue 13 end to end: the private weekly summary and the cohort summary, through the real bot.

Berlin leaves summer time on Sunday 25 Oct 2026 at 01:00 UTC: Sunday 18:00 Berlin that day is 17:00 UTC
(it would be 16:00 UTC with the summer offset).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coach.summaries import next_due, parse_weekly_time
from bot.render.chart import CHART_NAME
from bot.render.summaries import COHORT_TITLE, PRIVATE_TITLE
from tests.coach.patterns_season import season
from tests.season_store import load_season

THURSDAY = datetime(2026, 10, 22, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 10, 25, 17, 0, tzinfo=UTC)  # Sun 18:00 Berlin, after the change to winter time


def weekly(user) -> list:
    return [m for m in user.dm_messages if m.content.startswith(f"**{PRIVATE_TITLE}**")]


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


async def settle(world, seconds: float = 0.3) -> None:
    await world.idle()
    await asyncio.sleep(seconds)


async def log(world, user, company: str, when: str = "5 hours ago") -> int:
    h = await user.slash("interview log", company=company, when=when, stage="technical")
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


async def test_weekly_dm_at_local_time_exactly_once_across_a_restart_and_a_dst_change(world):
    alice, bob = world.alice, world.bob
    world.clock.set(THURSDAY)
    await berlin(world, alice)
    await berlin(world, bob)
    await log(world, alice, "Acme")
    for user in (alice, bob):  # bob has logged nothing: he must get no summary
        h = await user.slash("settings weekly-summary", when="Sun 18:00")
        reply = await h.wait_message()
        assert "Sun 18:00" in reply.content and "Europe/Berlin" in reply.content

    await world.restart()
    world.clock.set(DUE - timedelta(minutes=30))  # 16:30 UTC: past 18:00 with the summer offset
    await settle(world)
    assert weekly(alice) == []

    world.clock.set(DUE + timedelta(seconds=1))
    message = await alice.wait_for_dm(predicate=lambda m: m.content.startswith(f"**{PRIVATE_TITLE}**"))
    assert "Acme: Technical" in message.content and "**Interviews:** 1" in message.content
    assert "Sun 18 Oct to Sun 25 Oct" in message.content
    assert message.attachment_objs == []  # one interview is too little for a chart (/patterns says why)

    await world.restart()
    world.advance(hours=2)
    await settle(world)
    assert len(weekly(alice)) == 1
    assert weekly(bob) == []
    # Next week's is waiting for both, at 18:00 Berlin again (17:00 UTC).
    for user in (alice, bob):
        waiting = [p for p in await world.store.prompts.for_user(user.id) if p.kind == "weekly"]
        assert [p.due_at for p in waiting] == [DUE + timedelta(days=7)]


async def test_a_bad_weekly_time_gets_a_clear_reply_and_changes_nothing(world):
    world.clock.set(THURSDAY)
    h = await world.alice.slash("settings weekly-summary", when="someday soon")
    reply = await h.wait_message()
    assert h.ephemeral is not False and "Sun 18:00" in reply.content
    assert await world.store.summaries.summary_time(world.alice.id) is None


async def feedback(world, user, iid: int, text: str) -> None:
    h = await user.slash("feedback add", interview=str(iid), text=text)
    await h.wait_message()


async def test_cohort_summary_shows_what_three_share_hides_what_two_share_never_pings_and_honours_opt_out(world):
    alice, bob, carol, guild = world.alice, world.bob, world.carol, world.guild
    general = guild.channel("general")
    world.clock.set(THURSDAY)
    h = await alice.slash("server summary-channel", guild=guild, options={"channel": general})
    assert "will be posted in" in (await h.wait_message()).content
    h = await alice.slash("server summary-time", guild=guild, when="Sun 18:00", zone="Europe/Berlin")
    assert "Sun 18:00" in (await h.wait_message()).content
    for user in (alice, bob, carol):
        await berlin(world, user)
        h = await user.slash("settings share", guild=guild, on=True)
        assert "counted" in (await h.wait_message()).content
    hostile = f"@everyone <@{alice.id}> @here"
    for user in (alice, bob, carol):
        iid = await log(world, user, f"{hostile} Corp")
        text = "Communication: explain your thinking more clearly."
        if user is not carol:  # only two members hear about system design
            text += f" System design needs work. {hostile}"
        await feedback(world, user, iid, text)

    h = await alice.slash("server show", guild=guild)
    shown = (await h.wait_message()).content
    assert "3 member(s) opted in" in shown and "Sun 18:00 (Europe/Berlin)" in shown

    world.clock.set(DUE + timedelta(seconds=1))
    await settle(world)
    posts = [m for m in alice.messages_in(general) if m.content.startswith(f"**{COHORT_TITLE}**")]
    assert len(posts) == 1
    post = posts[0].content

    assert "communication (3+)" in post
    assert "system design" not in post
    assert "@everyone" not in post and "@here" not in post and "<@" not in post and "Corp" not in post
    sent = [r for r in world.fake.requests if r.method == "POST" and f"/channels/{general.id}/messages" in r.path]
    assert sent and all(r.json.get("allowed_mentions") == {"parse": []} for r in sent)
    assert posts[0].mentions == []

    # bob opts out; next week all three are active again, but bob is not counted: two is too few.
    h = await bob.slash("settings share", guild=guild, on=False)
    await h.wait_message()
    for user in (alice, bob, carol):
        iid = await log(world, user, "Initech")
        await feedback(world, user, iid, "Work on communication.")
    world.clock.set(DUE + timedelta(days=7, seconds=1))
    await settle(world)
    posts = [m for m in alice.messages_in(general) if m.content.startswith(f"**{COHORT_TITLE}**")]
    assert len(posts) == 1


async def test_the_weekly_dm_carries_the_patterns_chart_as_a_png_once_there_is_enough_for_one(world):
    s = season(120, weeks=24, seed=7)
    await load_season(world.store, world.alice.id, s)
    world.clock.set(s.now)
    await berlin(world, world.alice)
    await log(world, world.alice, "Acme")  # something this week
    h = await world.alice.slash("settings weekly-summary", when="Sun 18:00")
    await h.wait_message()
    due = next_due(s.now, ZoneInfo("Europe/Berlin"), parse_weekly_time("Sun 18:00"))
    world.clock.set(due + timedelta(seconds=1))
    message = await world.alice.wait_for_dm(
        predicate=lambda m: m.content.startswith(f"**{PRIVATE_TITLE}**"), timeout=30
    )  # (a runaway bound: the first chart in a process loads matplotlib)
    [attachment] = message.attachment_objs
    assert attachment.filename == CHART_NAME and attachment.data.startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_quiet_week_after_months_of_data_sends_nothing_and_an_active_one_still_does(world):
    """Both have months of debriefs and outcomes before; only bob logs an interview in the week. Alice's week
    is found empty without reading her year (bot.store.summaries), and nothing is sent to her."""
    alice, bob = world.alice, world.bob
    world.clock.set(THURSDAY)
    for n, user in enumerate((alice, bob)):
        await berlin(world, user)
        await load_season(world.store, user.id, season(40, weeks=12, seed=70 + n, end=THURSDAY - timedelta(days=21)))
        h = await user.slash("settings weekly-summary", when="Sun 18:00")
        await h.wait_message()
    await log(world, bob, "Globex")

    world.clock.set(DUE + timedelta(seconds=1))
    message = await bob.wait_for_dm(predicate=lambda m: m.content.startswith(f"**{PRIVATE_TITLE}**"))
    assert "Globex: Technical" in message.content and "**Interviews:** 1" in message.content
    world.advance(hours=1)
    await settle(world)
    assert weekly(alice) == [] and len(weekly(bob)) == 1
    for user in (alice, bob):  # and next week's is waiting for both
        waiting = [p for p in await world.store.prompts.for_user(user.id) if p.kind == "weekly"]
        assert [p.due_at for p in waiting] == [DUE + timedelta(days=7)]


def _counts(text: str) -> list[int]:
    """The four numbers of a funnel line, in order (applications, first interviews, later rounds, offers)."""
    return [int(part.strip().split()[0] if part.strip()[0].isdigit() else part.strip().split()[-1]) for part in text]


async def test_the_weekly_dms_funnel_is_the_one_patterns_shows_for_a_season_of_multi_round_processes(world):
    """The weekly sweep counts the funnel from its own rows (no process records, bot.coach.patterns.funnel);
    the DM must say what ``/patterns`` says from the whole engine, for a season whose rounds join into
    processes and end in offers, rejections and ghostings."""
    s = season(120, weeks=24, seed=7)
    await load_season(world.store, world.alice.id, s)
    world.clock.set(s.now)
    await berlin(world, world.alice)
    await log(world, world.alice, "Acme")  # something this week
    h = await world.alice.slash("settings weekly-summary", when="Sun 18:00")
    await h.wait_message()
    due = next_due(s.now, ZoneInfo("Europe/Berlin"), parse_weekly_time("Sun 18:00"))
    world.clock.set(due + timedelta(seconds=1))
    message = await world.alice.wait_for_dm(
        predicate=lambda m: m.content.startswith(f"**{PRIVATE_TITLE}**"), timeout=30
    )  # (a runaway bound: the first chart in a process loads matplotlib)
    [line] = [x for x in message.content.splitlines() if x.startswith("**Funnel so far:**")]
    weekly_counts, _, weekly_note = line.removeprefix("**Funnel so far:** ").partition(". ")

    h = await world.alice.slash("patterns")
    reply = await h.wait_followup(timeout=30)
    [embed] = reply.embeds
    counts, _, note = {f["name"]: f["value"] for f in embed["fields"]}["Your funnel"].partition("\n")
    applications, first, later, offers = _counts(counts.split("→"))
    assert _counts(weekly_counts.split("→")) == [applications, first, later, offers]
    assert weekly_note == note
    assert len(s.interviews) + 1 > first > later > offers > 0  # rounds did join, and some went on to offers
