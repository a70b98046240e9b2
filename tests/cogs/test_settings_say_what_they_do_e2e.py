"""Issue 16 (part B): settings say what they do. Quiet hours that leave fewer than 8 waking hours are
confirmed first; /settings delay offers exactly the values the guide lists; after /server disable,
/server show says what still works and what does not, and clearing the notice channel keeps it off."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.render.summaries import COHORT_TITLE
from tests.cogs.test_summaries_e2e import DUE, THURSDAY, berlin, feedback, log, settle

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"


async def quiet_of(world, user):
    stored = await world.store.users.get(user.id)
    return (stored.quiet_start, stored.quiet_end) if stored else (None, None)


async def test_ordinary_quiet_hours_are_set_at_once(world):
    h = await world.alice.slash("settings quiet-hours", hours="23:00-07:00")
    assert "Quiet hours set to **23:00-07:00**" in (await h.wait_message()).content
    assert await quiet_of(world, world.alice) == (time(23, 0), time(7, 0))


async def test_quiet_hours_leaving_under_8_waking_hours_ask_first_and_keep_on_no(world):
    h = await world.alice.slash("settings quiet-hours", hours="18:00-12:00")  # 6 waking hours
    ask = await h.wait_message()
    assert "only 6 h" in ask.content and "18:00-12:00" in ask.content
    assert [b[0] for b in ask.buttons] == ["Set them anyway", "Keep my current ones"]
    assert await quiet_of(world, world.alice) == (None, None)  # nothing changed yet
    kept = await world.alice.click(ask, label="Keep my current ones")
    await kept.response()
    assert "unchanged" in ask.content and ask.buttons == []
    assert await quiet_of(world, world.alice) == (None, None)


async def test_quiet_hours_leaving_under_8_waking_hours_are_set_when_confirmed(world):
    h = await world.bob.slash("settings quiet-hours", hours="9pm to 2pm")  # 7 waking hours
    ask = await h.wait_message()
    assert "only 7 h" in ask.content
    done = await world.bob.click(ask, label="Set them anyway")
    await done.response()
    assert "Quiet hours set to **21:00-14:00**" in ask.content and ask.buttons == []
    assert await quiet_of(world, world.bob) == (time(21, 0), time(14, 0))


def guide_delays() -> list[int]:
    """The hours the guide says /settings delay offers."""
    text = GUIDE.read_text(encoding="utf-8")
    sentence = re.search(r"`/settings delay` (?:offers|chooses) ([^)]*)\)", text)
    assert sentence, "the guide no longer says what /settings delay offers"
    return [int(n) for n in re.findall(r"\d+", sentence.group(1))]


async def test_settings_delay_offers_exactly_the_values_the_guide_lists(world):
    command = world.fake.state.commands.find("settings", None)
    [delay] = [o for o in command.data["options"] if o["name"] == "delay"]
    [hours] = delay["options"]
    offered = [c["value"] for c in hours["choices"]]
    assert offered == guide_delays()
    h = await world.alice.slash("settings delay", hours=offered[-1])
    assert f"{offered[-1]} h" in (await h.wait_message()).content


async def test_after_disable_server_show_says_what_works_and_clearing_the_notice_channel_keeps_it_off(world):
    interviews = world.guild.channel("interviews")
    h = await world.alice.slash("server notice-channel", guild=world.guild, options={"channel": interviews})
    await h.wait_message()
    h = await world.alice.slash("server disable", guild=world.guild)
    await h.wait_message()

    h = await world.alice.slash("server show", guild=world.guild)
    shown = (await h.wait_message()).content
    assert "**Debrief in this server:** off" in shown
    assert "Not working here" in shown and "notice channel" in shown and "cohort summary" in shown
    assert "Still working" in shown and "DMs" in shown and "slash commands" in shown
    assert "`/server notice-channel`" in shown  # how to turn it back on

    h = await world.alice.slash("server notice-channel", guild=world.guild)  # clearing it
    cleared = (await h.wait_message()).content
    assert "still off" in cleared
    assert not (await world.store.guilds.get(world.guild.id)).enabled
    h = await world.alice.slash("server show", guild=world.guild)
    assert "**Debrief in this server:** off" in (await h.wait_message()).content

    h = await world.alice.slash("server notice-channel", guild=world.guild, options={"channel": interviews})  # back on
    await h.wait_message()
    assert (await world.store.guilds.get(world.guild.id)).enabled


async def test_a_disabled_server_gets_no_cohort_summary_until_it_is_turned_back_on(world):
    alice, guild = world.alice, world.guild
    general, interviews = guild.channel("general"), guild.channel("interviews")
    world.clock.set(THURSDAY)
    h = await alice.slash("server summary-channel", guild=guild, options={"channel": general})
    await h.wait_message()
    h = await alice.slash("server summary-time", guild=guild, when="Sun 18:00", zone="Europe/Berlin")
    await h.wait_message()
    for user in (alice, world.bob, world.carol):
        await berlin(world, user)
        h = await user.slash("settings share", guild=guild, on=True)
        await h.wait_message()
    for week in range(2):
        for user in (alice, world.bob, world.carol):
            iid = await log(world, user, f"Acme {week}")
            await feedback(world, user, iid, "Communication: explain your thinking more clearly.")
        if week == 0:
            h = await alice.slash("server disable", guild=guild)
            await h.wait_message()
        world.clock.set(DUE + timedelta(days=7 * week, seconds=1))
        await settle(world)
        posts = [m for m in alice.messages_in(general) if m.content.startswith(f"**{COHORT_TITLE}**")]
        assert len(posts) == week, "a disabled server got a cohort summary" if week == 0 else "none after re-enabling"
        if week == 0:  # turned back on: the next week's summary is posted
            h = await alice.slash("server notice-channel", guild=guild, options={"channel": interviews})
            await h.wait_message()


async def test_a_disabled_server_gets_no_closed_dms_note(world):
    h = await world.alice.slash("server disable", guild=world.guild)
    await h.wait_message()
    await world.store.users.ensure(world.bob.id, world.clock.now())
    await world.store.users.set_timezone(world.bob.id, "UTC")
    world.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # outside the default quiet hours
    world.bob.dms_open = False
    general = world.guild.channel("general")
    h = await world.bob.slash(
        "interview log", company="Acme", when="5 hours ago", stage="technical", guild=world.guild, channel=general
    )
    await h.wait_message()
    await world.idle()
    iid = (await world.store.interviews.list(world.bob.id))[0].id
    for _ in range(50):  # until the send was tried and failed
        if (await world.store.prompts.find("debrief", iid)).last_error == "dms closed":
            break
        await asyncio.sleep(0.05)
    assert (await world.store.prompts.find("debrief", iid)).last_error == "dms closed"
    await asyncio.sleep(0.3)
    assert [m for m in general.messages if "can't DM you" in m.content] == []
