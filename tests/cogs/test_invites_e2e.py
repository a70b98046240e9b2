"""Issue 16 (part B): calendar invites sent in a DM, read, offered with buttons, recorded once and
updated when the same invite comes again; files that are not calendars, recurring and all-day events,
and files too big get a clear reply. Through the real bot and the fake Discord."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.cogs._clicked import settled
from tests.cogs._debrief_steps import wait_until
from tests.cogs.test_interviews_e2e import set_zone


def ics(*events: str) -> bytes:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Acme Recruiting//EN\r\n{body}END:VCALENDAR\r\n".encode()


def vevent(uid: str, summary: str, start: str, end: str | None = None, *extra: str) -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART{start}"]
    if end:
        lines.append(f"DTEND{end}")
    lines += list(extra)
    lines.append("END:VEVENT")
    return "\r\n".join(lines) + "\r\n"


INVITE = vevent(
    "itv-42@acme.example",
    "Technical interview - Acme",
    ";TZID=America/New_York:20261203T100000",
    ";TZID=America/New_York:20261203T110000",
    "ORGANIZER;CN=Jane:mailto:jane@acme.com",
)
MOVED = vevent(
    "itv-42@acme.example",
    "Technical interview - Acme",
    ";TZID=America/New_York:20261204T140000",
    ";TZID=America/New_York:20261204T153000",
    "ORGANIZER;CN=Jane:mailto:jane@acme.com",
)


async def test_an_invite_is_offered_recorded_once_and_updated_when_sent_again(world):
    await set_zone(world.alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    await world.alice.send_dm(files={"invite.ics": ics(INVITE)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    # 10:00 in New York is 16:00 in Berlin, the user's zone; the hour long interview is kept as such
    assert "**Acme**" in offer.content and "Thu 3 Dec 16:00–17:00 (60 min)" in offer.content
    assert "technical" in offer.content.lower()
    assert await world.store.interviews.list(world.alice.id) == []  # nothing without a confirmation
    saved = await world.alice.click(offer, label="Yes, record it")
    await settled(saved)
    [interview] = await world.store.interviews.list(world.alice.id)
    assert (interview.company, interview.stage, interview.source) == ("Acme", "technical", "invite")
    assert (interview.starts_at, interview.length_min) == (datetime(2026, 12, 3, 15, 0, tzinfo=UTC), 60)
    first_due = (await world.store.prompts.find("debrief", interview.id)).due_at

    # the recruiter moves it: the same invite (same UID) comes again
    await world.alice.send_dm(files={"invite.ics": ics(MOVED)})
    again = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    assert "You recorded this invite before" in again.content and "Update that interview" in again.content
    updated = await world.alice.click(again, label="Yes, record it")
    await settled(updated)
    [moved] = await world.store.interviews.list(world.alice.id)
    assert moved.id == interview.id
    assert (moved.starts_at, moved.length_min) == (datetime(2026, 12, 4, 19, 0, tzinfo=UTC), 90)
    assert (await world.store.prompts.find("debrief", moved.id)).due_at > first_due  # the prompt moved with it


async def test_a_floating_time_is_read_in_the_users_zone_and_the_company_from_the_organizer(world):
    await set_zone(world.alice, "Asia/Tokyo")
    world.clock.set(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))
    event = vevent(
        "float-1", "Phone screen", ":20261202T090000", ":20261202T093000", "ORGANIZER:mailto:talent@globex.co.uk"
    )
    await world.alice.send_dm(files={"call.ics": ics(event)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    assert "**Globex**" in offer.content and "09:00–09:30 (30 min)" in offer.content
    await settled(await world.alice.click(offer, label="Yes, record it"))
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.starts_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 09:00 Tokyo


async def test_recurring_and_all_day_events_are_not_offered_and_say_why(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    weekly = vevent("r-1", "Interview prep with Acme", ":20261201T100000Z", ":20261201T110000Z", "RRULE:FREQ=WEEKLY")
    all_day = vevent("d-1", "Onsite interview at Initech", ";VALUE=DATE:20261205")
    await world.alice.send_dm(files={"calendar.ics": ics(weekly, all_day)})
    reply = await world.alice.wait_for_dm(predicate=lambda m: "Not offered" in m.content)
    assert "Interview prep with Acme" in reply.content and "it repeats" in reply.content
    assert "Onsite interview at Initech" in reply.content and "all day" in reply.content
    assert reply.buttons == []
    await asyncio.sleep(0.3)
    assert not any("From the invite" in m.content for m in world.alice.dm_messages)
    assert await world.store.interviews.list(world.alice.id) == []


async def test_a_file_that_is_not_a_calendar_gets_a_clear_reply(world):
    await set_zone(world.alice, "UTC")
    await world.alice.send_dm(files={"invite.ics": b"\x89PNG\r\n\x1a\n not a calendar at all"})
    reply = await world.alice.wait_for_dm()
    assert "invite.ics" in reply.content and "isn't a calendar invite" in reply.content
    await world.alice.send_dm(files={"photo.png": b"\x89PNG\r\n\x1a\n"})
    reply = await world.alice.wait_for_dm()
    assert "calendar invites (`.ics` files)" in reply.content
    assert await world.store.interviews.list(world.alice.id) == []


async def test_a_calendar_too_big_is_not_read(world):
    await set_zone(world.alice, "UTC")
    padding = "X-FILLER:" + "a" * 70 + "\r\n"
    big = ics(INVITE.replace("END:VEVENT", padding * 4000 + "END:VEVENT"))
    await world.alice.send_dm(files={"huge.ics": big})
    reply = await world.alice.wait_for_dm()
    assert "huge.ics" in reply.content and "too big" in reply.content
    assert await world.store.interviews.list(world.alice.id) == []


async def test_an_event_that_is_not_an_interview_is_not_offered(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    dentist = vevent("x-1", "Dentist", ":20261201T100000Z", ":20261201T110000Z")
    await world.alice.send_dm(files={"dentist.ics": ics(dentist)})
    reply = await world.alice.wait_for_dm()
    assert "Dentist" in reply.content and "doesn't look like an interview" in reply.content
    assert "found no interview" in reply.content


async def test_a_cancellation_is_not_offered(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    cancelled = ics(INVITE.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT"))
    await world.alice.send_dm(files={"invite.ics": cancelled})
    reply = await world.alice.wait_for_dm()
    assert "Not offered" in reply.content and "cancellation" in reply.content
    assert await world.store.interviews.list(world.alice.id) == []


async def test_several_invites_in_one_message_are_each_offered(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    globex = vevent("g-1", "Recruiter call with Globex", ":20261201T100000Z", ":20261201T103000Z")
    await world.alice.send_dm(files={"acme.ics": ics(INVITE), "globex.ics": ics(globex), "notes.txt": b"hello"})
    first = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    second = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    assert "**Acme**" in first.content and "**Globex**" in second.content
    skipped = await world.alice.wait_for_dm()
    assert "notes.txt" in skipped.content and "isn't a calendar invite" in skipped.content
    for offer in (first, second):
        await settled(await world.alice.click(offer, label="Yes, record it"))
    assert sorted(i.company for i in await world.store.interviews.list(world.alice.id)) == ["Acme", "Globex"]


async def test_first_contact_asks_the_zone_before_reading_an_invite(world):
    await world.alice.send_dm(files={"invite.ics": ics(INVITE)})
    ask = await world.alice.wait_for_dm()
    assert "time zone" in ask.content and "send the invite again" in ask.content
    assert ask.selects
    assert await world.store.interviews.list(world.alice.id) == []


async def test_an_invite_completed_in_the_form_keeps_its_uid_so_a_resend_updates_it(world):
    await set_zone(world.alice, "UTC")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    nameless = vevent("n-1", "Technical interview", ":20261202T100000Z", ":20261202T110000Z")
    await world.alice.send_dm(files={"invite.ics": ics(nameless)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    assert "Add the company" in offer.content
    form = await world.alice.click(offer, label="Add the details")
    await form.response()
    await (await form.submit_modal({"Company": "Initech"})).wait_message()
    [interview] = await world.store.interviews.list(world.alice.id)
    assert interview.company == "Initech"
    moved = nameless.replace("20261202T100000Z", "20261203T100000Z").replace("20261202T110000Z", "20261203T110000Z")
    await world.alice.send_dm(files={"invite.ics": ics(moved)})
    again = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    assert "**Initech**" in again.content and "You recorded this invite before" in again.content
    await settled(await world.alice.click(again, label="Yes, record it"))
    [updated] = await world.store.interviews.list(world.alice.id)
    assert updated.id == interview.id and updated.starts_at == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


async def test_an_invite_update_whose_interview_is_deleted_meanwhile_keeps_the_draft_and_says_what_to_do(world):
    """The user confirms a re-sent invite while the interview it updates is being deleted (another window):
    the confirmation has found the interview, the deletion commits first. Nothing is lost: the reply says
    so, and confirming again records the invite as a new interview. Deterministic: the test holds the
    store's write lock while the deletion and then the confirmation reach it, in that order."""
    alice = world.alice
    await set_zone(alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    await alice.send_dm(files={"invite.ics": ics(INVITE)})
    offer = await alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    await settled(await alice.click(offer, label="Yes, record it"))
    [interview] = await world.store.interviews.list(alice.id)
    await alice.send_dm(files={"invite.ics": ics(MOVED)})
    again = await alice.wait_for_dm(predicate=lambda m: "Update that interview" in m.content)

    read, loop = asyncio.Event(), asyncio.get_running_loop()
    wanted = ""

    def seen(sql: str, _seconds: float) -> None:  # (told on the store's reading thread)
        if sql.startswith(wanted):
            loop.call_soon_threadsafe(read.set)

    world.store.db.observe_statements(seen)
    async with world.store.transaction():
        wanted = "SELECT * FROM interviews WHERE id = ?"  # the deletion has checked the interview is hers
        deleting = asyncio.create_task(world.bot.services.interviews.delete(alice.id, interview.id))
        await asyncio.wait_for(read.wait(), 15)
        read.clear()
        wanted = "SELECT * FROM interviews WHERE user_id = ? AND ical_uid = ?"  # the confirmation found it
        confirm = await alice.click(again, label="Yes, record it", wait=False)
        await asyncio.wait_for(read.wait(), 15)
    await deleting
    reply = await confirm.wait_followup()  # answered first: the refusal follows, the buttons come back
    assert "deleted a moment ago" in reply.content and "record the invite as a new interview" in reply.content
    assert await world.store.interviews.list(alice.id) == []

    await wait_until(lambda: "Yes, record it" in [b[0] for b in again.buttons])
    saved = await alice.click(again, label="Yes, record it")  # the way forward it offered
    assert (await settled(saved)).content.startswith("Saved: **Acme**")  # a new interview
    [recorded] = await world.store.interviews.list(alice.id)
    assert recorded.starts_at == datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    assert (await world.store.prompts.find("debrief", recorded.id)).state == "pending"  # its own prompt


async def recorded_invite(world):
    await set_zone(world.alice, "Europe/Berlin")
    world.clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    await world.alice.send_dm(files={"invite.ics": ics(INVITE)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "From the invite" in m.content)
    await settled(await world.alice.click(offer, label="Yes, record it"))
    [interview] = await world.store.interviews.list(world.alice.id)
    return interview


CANCELLATION = "METHOD:CANCEL\r\n"  # the whole calendar is a cancellation notice


def cancelled(event: str, method: bool) -> bytes:
    if method:
        return ics(event).replace(b"VERSION:2.0\r\n", f"VERSION:2.0\r\n{CANCELLATION}".encode())
    return ics(event.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT"))


async def test_a_cancellation_of_a_recorded_invite_offers_to_remove_that_interview(world):
    interview = await recorded_invite(world)
    assert (await world.store.prompts.find("debrief", interview.id)).state == "pending"
    await world.alice.send_dm(files={"invite.ics": cancelled(INVITE, method=True)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "cancel" in m.content.lower())
    assert "**Acme**" in offer.content and "Remove that interview" in offer.content
    assert [label for label, _, _ in offer.buttons] == ["Remove it", "Keep it"]
    done = await world.alice.click(offer, label="Remove it")
    await done.response()
    assert "Deleted **Acme**" in offer.content  # the message itself says what happened
    assert await world.store.interviews.list(world.alice.id) == []
    assert await world.store.prompts.find("debrief", interview.id) is None  # its prompts went with it (cancelled)
    assert [p for p in await world.store.prompts.for_user(world.alice.id)] == []


async def test_a_cancelled_event_of_a_recorded_invite_can_be_kept(world):
    interview = await recorded_invite(world)
    await world.alice.send_dm(files={"invite.ics": cancelled(INVITE, method=False)})
    offer = await world.alice.wait_for_dm(predicate=lambda m: "cancel" in m.content.lower())
    assert "Remove that interview" in offer.content
    kept = await world.alice.click(offer, label="Keep it")
    await kept.response()
    assert offer.content.startswith("Kept **") and "nothing changed" in offer.content and offer.buttons == []
    assert [i.id for i in await world.store.interviews.list(world.alice.id)] == [interview.id]
    assert (await world.store.prompts.find("debrief", interview.id)).state == "pending"
