"""Issue 11.5 and 11.6 end to end: editing "Other" interviews, the pageable list, an interview's card
from the list with every action, the states the list shows, and correcting an application count.

Through the real bot and the fake Discord.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakediscord import FakeMessage

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday


async def utc(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "UTC")


async def log(user, company: str, when: str = "5 hours ago", stage: str = "technical", **where) -> FakeMessage:
    h = await user.slash("interview log", company=company, when=when, stage=stage, **where)
    return await h.wait_message()


async def newest_id(world, user) -> int:
    return max(i.id for i in await world.store.interviews.list(user.id, limit=1000))


# -- 11.5 "Other" interviews can be edited --------------------------------------------------------------


async def test_an_other_interview_can_be_edited_with_its_prefilled_form(world):
    await utc(world, world.alice)
    world.clock.set(START)
    reply = await log(world.alice, "Weird Co", when="tomorrow 10:00", stage="other")
    iid = await newest_id(world, world.alice)
    edit = await world.alice.click(reply, label="Edit")
    await edit.response()
    assert edit.modal is not None
    saved = await edit.submit_modal({"Company": "Weird Co Ltd"})  # the stage field keeps "Other"
    text = (await saved.wait_message()).content
    assert "Saved: **Weird Co Ltd**" in text, text
    interview = await world.store.interviews.get(world.alice.id, iid)
    assert (interview.company, interview.stage) == ("Weird Co Ltd", "other")


# -- 11.6 managing records ---------------------------------------------------------------------------------


def listed(message: FakeMessage) -> str:
    [embed] = message.embeds
    return embed["description"]


def footer(message: FakeMessage) -> str:
    return message.embeds[0].get("footer", {}).get("text", "")


def forge(message: FakeMessage, old: str, new: str) -> None:
    """A tampered client: the message's components now carry ``new`` where they carried ``old``."""
    for row in message.components:
        for child in row.get("components", []):
            if child.get("custom_id"):
                child["custom_id"] = child["custom_id"].replace(old, new)
            for option in child.get("options") or []:
                option["value"] = option["value"].replace(old, new)


def put_button(message: FakeMessage, label: str, custom_id: str) -> None:
    message.components.append(
        {"type": 1, "components": [{"type": 2, "style": 2, "label": label, "custom_id": custom_id}]}
    )


async def test_the_list_pages_through_every_interview_with_previous_and_next(world):
    await utc(world, world.alice)
    world.clock.set(START)
    names = [f"Co{n:02d}" for n in range(23)]
    for n, name in enumerate(names):  # 20 past (newest first in the list), 3 upcoming (soonest first)
        when = f"{n + 6} Nov 10:00" if n >= 20 else f"{n + 1} days ago"  # 26, 27, 28 Nov
        await log(world.alice, name, when=when)
    h = await world.alice.slash("interview list")
    page = await h.wait_message()
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        text = listed(page)
        seen += sorted((name for name in names if f"**{name}**" in text), key=lambda name: text.index(f"**{name}**"))
        assert f"Page {pages} of " in footer(page)
        assert len(text) <= 4096 and "more lines" not in text
        [pick] = page.selects
        assert len(pick["options"]) == len([name for name in names if f"**{name}**" in text])
        nxt = next(b for b in page.buttons if b[0] == "Next")
        if nxt[2]:  # disabled: the last page
            break
        turned = await world.alice.click(page, label="Next")
        await turned.response()
    assert sorted(seen) == sorted(names) and len(seen) == len(set(seen))
    assert seen[:3] == ["Co20", "Co21", "Co22"]  # upcoming first, soonest first
    assert seen[3:] == names[:20]  # then the past, newest first
    assert pages == -(-23 // 6)
    back = await world.alice.click(page, label="Previous")
    await back.response()
    assert f"Page {pages - 1} of {pages}" in footer(page)


async def test_a_page_button_shows_the_clicker_only_their_own_interviews(world):
    await utc(world, world.alice)
    await utc(world, world.bob)
    world.clock.set(START)
    for n in range(8):
        await log(world.alice, f"Alice{n}", when=f"{n + 1} days ago")
    await log(world.bob, "BobCo")
    h = await world.bob.slash("interview list")
    page = await h.wait_message()
    assert "BobCo" in listed(page) and not page.buttons  # one page: no Previous / Next
    # bob's client sends "next page": the page shown is of bob's own interviews, never alice's
    put_button(page, "Next", "dbf:ivl:next:1")
    turned = await world.bob.click(page, label="Next")
    await turned.response()
    assert "BobCo" in listed(page) and "Alice" not in listed(page)


async def test_picking_an_interview_opens_its_card_with_every_action(world):
    await utc(world, world.alice)
    world.clock.set(START)
    await log(world.alice, "Acme", when="5 hours ago")
    iid = await newest_id(world, world.alice)
    await world.idle()  # its prompt went out
    h = await world.alice.slash("interview list", guild=world.guild, channel=world.guild.channel("general"))
    page = await h.wait_message()
    assert h.ephemeral and "Acme" in listed(page)
    opened = await world.alice.select(page, [str(iid)])
    card = await opened.wait_message()
    assert opened.ephemeral and "**Acme**" in card.content and "State: not debriefed" in card.content
    assert [b[0] for b in card.buttons] == ["Debrief now", "Edit", "Delete", "Draft a feedback request"]
    placeholders = [s["placeholder"] for s in card.selects]
    assert placeholders == ["Record the outcome"]  # the prompt has gone out: no menu to change its time
    recorded = await world.alice.select(card, ["rejected"])
    assert "Acme" in (await recorded.wait_message()).content
    assert (await world.store.interviews.get(world.alice.id, iid)).outcome == "rejected"
    request = await world.alice.click(card, label="Draft a feedback request")
    assert "Acme" in (await request.wait_message()).content
    edit = await world.alice.click(card, label="Edit")
    await edit.response()
    assert edit.modal is not None
    ask = await world.alice.click(card, label="Delete")
    confirm = await ask.wait_message()
    done = await world.alice.click(confirm, label="Delete it")
    await done.response()
    assert await world.store.interviews.get(world.alice.id, iid) is None


async def test_an_upcoming_interview_s_card_offers_the_prompt_time_and_no_outcome_yet(world):
    await utc(world, world.alice)
    world.clock.set(START)
    await log(world.alice, "Globex", when="tomorrow 10:00")
    iid = await newest_id(world, world.alice)
    h = await world.alice.slash("interview list")
    page = await h.wait_message()
    assert "upcoming" in listed(page)
    card = await (await world.alice.select(page, [str(iid)])).wait_message()
    assert [s["placeholder"] for s in card.selects] == ["Change when the debrief prompt comes"]
    assert [b[0] for b in card.buttons] == ["Edit", "Delete"]
    moved = await world.alice.select(card, ["6"])
    assert "**tomorrow 17:00**" in (await moved.wait_message()).content


async def test_a_forged_interview_id_answers_not_yours(world):
    await utc(world, world.alice)
    await utc(world, world.bob)
    world.clock.set(START)
    await log(world.alice, "AliceCo")
    alice_iid = await newest_id(world, world.alice)
    await log(world.bob, "BobCo")
    bob_iid = await newest_id(world, world.bob)
    await world.idle()
    h = await world.bob.slash("interview list")
    page = await h.wait_message()
    forge(page, str(bob_iid), str(alice_iid))
    opened = await world.bob.select(page, [str(alice_iid)])
    answer = (await opened.wait_message()).content
    assert "among yours" in answer and "AliceCo" not in answer
    h = await world.bob.slash("interview list")
    page = await h.wait_message()
    card = await (await world.bob.select(page, [str(bob_iid)])).wait_message()
    forge(card, f"i{bob_iid}", f"i{alice_iid}")
    for label in ("Edit", "Delete", "Draft a feedback request", "Debrief now"):
        tried = await world.bob.click(card, label=label)
        text = (await tried.wait_message()).content
        assert "AliceCo" not in text and ("among yours" in text or "no longer there" in text), (label, text)
    tried = await world.bob.select(card, ["rejected"], custom_id=f"dbf:iv:outcome:i{alice_iid}")
    assert "among yours" in (await tried.wait_message()).content
    await log(world.bob, "BobLater", when="tomorrow 10:00")
    later_iid = await newest_id(world, world.bob)
    h = await world.bob.slash("interview list")
    page = await h.wait_message()
    card = await (await world.bob.select(page, [str(later_iid)])).wait_message()
    forge(card, f"i{later_iid}", f"i{alice_iid}")
    tried = await world.bob.select(card, ["6"])
    assert "among yours" in (await tried.wait_message()).content
    alice = await world.store.interviews.get(world.alice.id, alice_iid)
    assert alice is not None and alice.outcome is None
    assert await world.store.debriefs.for_interview(world.alice.id, alice_iid) is None
    assert await world.store.debriefs.for_interview(world.bob.id, alice_iid) is None


async def test_the_list_shows_only_documented_states(world):
    await utc(world, world.alice)
    world.clock.set(START)
    await log(world.alice, "Upco", when="tomorrow 10:00")
    await log(world.alice, "Sent", when="5 hours ago")
    await world.idle()  # Sent's prompt goes out now
    await log(world.alice, "Later", when="today 11:30")  # ended 12:30: prompt at 15:30
    h = await world.alice.slash("interview list")
    text = listed(await h.wait_message())
    lines = {line.split("**")[1]: line for line in text.splitlines() if line.startswith("`")}
    assert lines["Upco"].endswith("— upcoming")
    assert lines["Sent"].endswith("— not debriefed")  # never debriefed: not "done"
    assert lines["Later"].endswith("— debrief prompt today 15:30")
    rejected = await world.alice.slash(
        "interview outcome", interview=str(await newest_id(world, world.alice)), result="rejected"
    )
    await rejected.wait_message()
    h = await world.alice.slash("interview list")
    text = listed(await h.wait_message())
    assert "debrief prompt today 15:30 · rejected" in text


async def test_a_past_interview_s_reply_has_no_menu_that_can_only_say_already_gone_out(world):
    await utc(world, world.alice)
    world.clock.set(START)
    reply = await log(world.alice, "Acme", when="5 hours ago")
    assert "sending the debrief prompt" in reply.content
    assert reply.selects == []
    assert "Debrief now" in [b[0] for b in reply.buttons]


async def test_an_application_count_logged_by_mistake_is_undone(world):
    await utc(world, world.alice)
    await utc(world, world.bob)
    world.clock.set(START)
    h = await world.alice.slash("applications log", count=3)
    await h.wait_message()
    h = await world.alice.slash("applications log", count=30)
    wrong = await h.wait_message()
    assert "**33**" in wrong.content
    undo_id = wrong.buttons[0][1]
    undo = await world.alice.click(wrong, label="Undo")
    assert "**3**" in (await undo.wait_message()).content
    assert wrong.buttons == []  # the reply no longer offers it
    put_button(wrong, "Undo", undo_id)  # a double click, or a copy of the reply
    again = await world.alice.click(wrong, label="Undo")
    assert "already undone" in (await again.wait_message()).content
    h = await world.bob.slash("applications log", count=1)
    bobs = await h.wait_message()
    h = await world.alice.slash("applications log", count=2)
    alices = await h.wait_message()
    forge(bobs, bobs.buttons[0][1], alices.buttons[0][1])  # bob's client sends alice's entry id
    tried = await world.bob.click(bobs, label="Undo")
    assert "already undone" in (await tried.wait_message()).content
    week = START - timedelta(days=START.weekday())
    assert await world.store.applications.total(world.alice.id, week) == 5  # alice's 2 are still there
    assert await world.store.applications.total(world.bob.id, week) == 1
