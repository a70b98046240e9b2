"""Issue 14 end to end: /export, /forget, forgetting one interview, the server clean-up and retention.

Which tables hold a user's data is read here from the schema itself (``sqlite_master`` and each
table's columns and foreign keys), independently of the bot's own reading: a table added later that
holds user data fails these tests until the export covers it and the scenario below creates a row in it.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.render.privacy import package
from tests.cogs._debrief_steps import wait_until

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday, 13:00 in Berlin
SNOWFLAKES = {"user_id", "guild_id", "channel_id", "dm_channel_id", "message_id"}
JSON_COLUMNS = {"value", "summary"}


# -- the schema, read by the test ---------------------------------------------------------------------


def user_tables(db: Path) -> dict[str, str]:
    """table -> WHERE clause (one parameter, the user id) for every table holding a user's rows."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = [t for t in tables if not t.startswith("sqlite_")]
        found = {"users": "id = ?"}
        for table in tables:
            if any(col[1] == "user_id" for col in conn.execute(f"PRAGMA table_info({table})")):
                found.setdefault(table, "user_id = ?")
        grew = True
        while grew:
            grew = False
            for table in tables:
                if table in found:
                    continue
                for fk in conn.execute(f"PRAGMA foreign_key_list({table})"):
                    parent, column, target = fk[2], fk[3], fk[4] or "id"
                    if parent in found:
                        found[table] = f"{column} IN (SELECT {target} FROM {parent} WHERE {found[parent]})"
                        grew = True
                        break
    return found


def rows_of(db: Path, user_id: int) -> dict[str, list[dict]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return {
            table: [dict(r) for r in conn.execute(f"SELECT * FROM {table} WHERE {where}", (user_id,))]
            for table, where in user_tables(db).items()
        }


def as_exported(column: str, value, settings: bool = False):
    """A stored value as docs/privacy.md says the JSON export gives it."""
    if value is None:
        return None
    if column.endswith("_at"):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if column in SNOWFLAKES or (settings and column == "id"):
        return str(value)
    if column in JSON_COLUMNS:
        return json.loads(value)
    return value


def dm_channel_of(world, user) -> int:
    return user.dm_channel.id


# -- building a user with every kind of record -----------------------------------------------------------


async def everything(world, user, company: str = "Acme") -> int:
    """Through the bot: settings, an interview, its prompt, a debrief with an answer, an outcome with its
    check-in, feedback, applications, a draft, a server membership. Focus items and next steps come from
    flows (a finished debrief, a check-in select) that other tests cover; they are added through the
    store's own repositories here."""
    h = await user.slash("settings timezone", zone="Europe/Berlin")
    await h.wait_message()
    await user.send_dm(f"final round with Zeta{company} on Thursday at 3pm")
    await user.wait_for_dm(predicate=lambda m: f"Zeta{company}" in m.content)
    h = await user.slash("interview log", company=company, when="5 hours ago", stage="technical")
    await h.wait_message()
    [interview] = await world.store.interviews.search(user.id, company)
    prompt = await user.wait_for_dm(predicate=lambda m: "How did it go" in m.content and company in m.content)
    await user.click(prompt, label="Start debrief")
    first = await user.wait_for_dm(predicate=lambda m: "From arrival to goodbye" in m.content)
    h = await user.click(first, label="Write it")
    await h.response()
    await h.submit_modal({"Your answer": f"The {company} panel asked about queues."})
    await user.wait_for_dm(predicate=lambda m: "Saved" in m.content or "question" in m.content.lower())
    h = await user.slash("interview outcome", interview=str(interview.id), result="advanced")
    await h.wait_message()
    h = await user.slash("feedback add", interview=str(interview.id), text=f"{company} said: more depth on design.")
    await h.wait_message()
    h = await user.slash("applications log", count=4)
    await h.wait_message()
    h = await user.slash("interview list", guild=world.guild)
    await h.wait_message()
    async with world.store.transaction() as tx:
        await world.store.debriefs.set_focus(tx, user.id, f"Slow down at {company}", interview.id, world.clock.now())
    await world.store.next_steps.add(user_id=user.id, interview_id=interview.id, action="apply", now=world.clock.now())
    # A week's summary planned, and an opt-in to a server's cohort summary (their own e2e tests are in
    # test_summaries_e2e.py; here they only need to exist).
    async with world.store.transaction() as tx:
        await world.store.summaries.weekly_run(tx, user.id, "2026-W48")
    channel = world.guild.channels[0]
    await world.store.summaries.add_channel(channel.id, world.guild.id, world.clock.now())
    await world.store.summaries.join(user.id, channel.id, world.guild.id, world.clock.now())
    await world.idle()
    return interview.id


# -- /export ----------------------------------------------------------------------------------------


async def test_export_holds_every_row_of_every_table_with_user_data(world):
    world.clock.set(NOW)
    await everything(world, world.alice)
    await everything(world, world.bob, company="Bobco")  # someone else's rows must not leak in
    db = world.settings.storage.database_path
    held = rows_of(db, world.alice.id)
    empty = [table for table, rows in held.items() if not rows]
    assert not empty, f"the scenario made no rows in {empty}: add them to everything() and to the export"

    h = await world.alice.slash("export")
    message = await h.wait_message()
    assert not h.ephemeral  # in the bot's DM the files stay in the conversation
    files = {a.filename.rsplit(".", 1)[1]: a.data for a in message.attachment_objs}
    assert set(files) == {"json", "md"}
    doc = json.loads(files["json"])
    assert doc["format"] == "debrief-export" and doc["version"] == 1 and doc["user_id"] == str(world.alice.id)

    sections = {k: v for k, v in doc.items() if isinstance(v, list)}
    sections["settings"] = [doc["settings"]]
    for table, rows in held.items():
        expected = sorted(
            json.dumps({k: as_exported(k, v, table == "users") for k, v in r.items()}, sort_keys=True) for r in rows
        )
        matching = [
            name
            for name, records in sections.items()
            if sorted(json.dumps(rec, sort_keys=True) for rec in records) == expected
        ]
        assert matching, f"table {table}: its {len(rows)} rows of the user are not a section of the export"

    text = files["md"].decode()
    assert "Acme" in text and "The Acme panel asked about queues." in text and "more depth on design" in text
    assert "Bobco" not in files["json"].decode() and "Bobco" not in text


async def test_export_in_a_server_or_a_dm_between_two_people_is_ephemeral(world):
    world.clock.set(NOW)
    h = await world.alice.slash("applications log", count=2)
    await h.wait_message()
    h = await world.alice.slash("export", guild=world.guild)
    message = await h.wait_message()
    assert message.ephemeral and message.attachment_objs
    assert all(m.visible_to == world.alice.id for m in world.guild.channels[0].messages if m.attachment_objs)
    h = await world.alice.slash("export", private_with=world.bob)
    message = await h.wait_message()
    assert message.ephemeral and {a.filename.rsplit(".", 1)[1] for a in message.attachment_objs} == {"json", "md"}


async def test_personal_replies_in_a_dm_between_two_people_are_ephemeral(world):
    """A user-installed command in a DM with a friend: the friend must not see the user's numbers."""
    h = await world.alice.slash("applications log", private_with=world.bob, count=3)
    message = await h.wait_message()
    assert "3" in message.content and h.ephemeral


def test_a_large_export_is_zipped_or_split_under_the_limit():
    small = [("a.json", b"x" * 10), ("a.md", b"y" * 10)]
    assert package(small, limit=100) == [small]
    compressible = [("a.json", b"x" * 1000), ("a.md", b"y" * 1000)]
    [[(name, data)]] = package(compressible, limit=1000)
    assert name == "a.zip" and len(data) <= 1000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("a.json") == b"x" * 1000
    noise = [("a.json", random.Random(14).randbytes(5000))]  # does not compress below the limit
    parts = package(noise, limit=1000)
    assert len(parts) > 1 and all(sum(len(d) for _, d in part) <= 1000 for part in parts)
    joined = b"".join(d for part in parts for _, d in part)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        assert archive.read("a.json") == noise[0][1]


@pytest.mark.fake(attachment_limit=64 * 1024)
async def test_the_fake_refuses_a_file_over_the_attachment_limit(world):
    """The fake enforces Discord's upload limit (40005), so an export that ignored it would fail here."""
    import discord

    channel = await world.bot.fetch_user(world.alice.id)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send(file=discord.File(io.BytesIO(b"z" * (64 * 1024 + 1)), filename="big.bin"))
    assert raised.value.code == 40005
    world.fake.violations.clear()


async def forge(world, user, custom_id: str):
    """``user`` presses a button with ``custom_id`` that the bot never sent them (a forged or replayed
    id). Discord and discord.py only deliver ids that are on the message, so the fake's copy of a bot
    message in the user's DM is tampered with to carry it, as a hand-made request would."""
    h = await user.slash("help")
    source = await h.wait_message()
    button = {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}
    source.components = [{"type": 1, "components": [button]}]
    return await user.click(source, custom_id=custom_id)


# -- /forget ----------------------------------------------------------------------------------------


async def test_forget_shows_what_goes_then_leaves_no_row_of_the_user(world):
    world.clock.set(NOW)
    await everything(world, world.alice)
    await everything(world, world.bob, company="Bobco")
    db = world.settings.storage.database_path
    bob_before = rows_of(db, world.bob.id)
    held = sum(len(rows) for rows in rows_of(db, world.alice.id).values())

    h = await world.alice.slash("forget", guild=world.guild)
    preview = await h.wait_message()
    assert h.ephemeral and f"{held} records" in preview.content and "What is kept" in preview.content
    assert [b[0] for b in preview.buttons] == ["Delete everything", "Cancel"]
    done = await world.alice.click(preview, label="Delete everything")
    await done.response()  # the buttons off at once; what went is said once it is gone
    await wait_until(lambda: f"{held} records deleted" in preview.content)
    # (the membership row the /forget command itself refreshed was deleted with the rest)
    left = {table: rows for table, rows in rows_of(db, world.alice.id).items() if rows}
    assert left == {}, f"rows of the user remain: {left}"
    assert rows_of(db, world.bob.id) == bob_before

    # nothing more comes, and a later message starts fresh
    world.advance(days=20)
    await world.idle()
    before = len(world.alice.dm_messages)
    await asyncio.sleep(0.3)
    assert len(world.alice.dm_messages) == before
    h = await world.alice.slash("interview list")
    [embed] = (await h.wait_message()).embeds
    assert "No interview" in embed["description"]


async def test_only_the_same_user_can_confirm_forget(world):
    world.clock.set(NOW)
    h = await world.alice.slash("applications log", count=2)
    await h.wait_message()
    h = await world.alice.slash("forget")
    preview = await h.wait_message()
    # alice's confirm id, sent by bob (a replayed or forged id reaches the bot with bob as the user)
    custom_id = next(b["custom_id"] for row in preview.components for b in row["components"] if "yes" in b["custom_id"])
    inter = await forge(world, world.bob, custom_id)
    reply = await inter.wait_message()
    assert inter.ephemeral and "someone else" in reply.content
    assert await world.store.applications.total(world.alice.id, NOW - timedelta(days=1)) == 2


# -- forgetting one interview ------------------------------------------------------------------------


async def test_forget_one_interview_from_its_card(world):
    world.clock.set(NOW)
    iid = await everything(world, world.alice)
    h = await world.alice.slash("interview log", company="Acme", when="in 2 hours", stage="onsite_final")
    card = await h.wait_message()
    [later, _] = await world.store.interviews.search(world.alice.id, "Acme")
    assert later.previous_id == iid  # the later round links to the first
    h = await world.alice.slash("interview log", company="Keepco", when="3 hours ago", stage="technical")
    first_card = await h.wait_message()
    # the first interview's card: log replies carry the Forget button
    assert "Forget" in [b[0] for b in card.buttons] and "Forget" in [b[0] for b in first_card.buttons]
    db = world.settings.storage.database_path
    before = rows_of(db, world.alice.id)

    from bot.ui import ids

    ask = await world.alice.click(card, custom_id=ids.interview_action("forget", later.id))
    confirm = await ask.wait_message()
    assert "Forget **Acme**" in confirm.content
    done = await world.alice.click(confirm, label="Forget it")
    await done.response()
    assert "records deleted" in confirm.content
    after = rows_of(db, world.alice.id)
    assert [r["id"] for r in after["interviews"]] == [r["id"] for r in before["interviews"] if r["id"] != later.id]
    assert not [p for p in after["prompts"] if p["subject_id"] == later.id and p["kind"] != "retention"]
    assert after["feedback"] == before["feedback"]  # the other interview's notes stay

    # now the first interview, with its debrief, answers, feedback, next steps and prompts
    h = await world.alice.slash("interview outcome", interview=str(iid), result="advanced")
    outcome_card = await h.wait_message()
    del outcome_card
    ask = await forge(world, world.alice, ids.interview_action("forget", iid))
    confirm = await ask.wait_message()
    done = await world.alice.click(confirm, label="Forget it")
    await done.response()
    counts_text = confirm.content
    assert "records deleted" in counts_text
    after = rows_of(db, world.alice.id)
    assert [r["company"] for r in after["interviews"]] == ["Keepco"]
    assert after["debriefs"] == [] and after["answers"] == [] and after["feedback"] == [] and after["next_steps"] == []
    assert [f["interview_id"] for f in after["focus"]] == [None]  # the focus stays, unlinked
    assert {p["subject_id"] for p in after["prompts"]} <= {r["id"] for r in after["interviews"]}


# -- servers -----------------------------------------------------------------------------------------


async def test_removing_the_bot_from_a_server_forgets_its_settings_and_memberships_not_notes(world):
    world.clock.set(NOW)
    h = await world.alice.slash(
        "server notice-channel", guild=world.guild, options={"channel": world.guild.channels[1]}
    )
    assert "I'll watch" in (await h.wait_message()).content
    h = await world.bob.slash("settings timezone", zone="UTC")
    await h.wait_message()
    h = await world.bob.slash(
        "interview log", guild=world.guild, company="Acme", when="tomorrow 10:00", stage="technical"
    )
    await h.wait_message()
    other = world.fake.add_guild("Other", members=[world.bob], channels=["general"])
    h = await world.bob.slash("applications log", guild=other, count=1)
    await h.wait_message()
    h = await world.alice.slash(
        "server summary-channel", guild=world.guild, options={"channel": world.guild.channels[0]}
    )
    await h.wait_message()
    h = await world.bob.slash("settings share", guild=world.guild, on=True)
    await h.wait_message()
    assert await world.store.guilds.get(world.guild.id) is not None
    assert world.bot.services.servers.watches(world.guild.channels[1].id)
    assert await world.store.summaries.channels_of(world.guild.id) != []
    assert await world.store.summaries.shares_in(world.bob.id, world.guild.id) != []
    runs = [p.subject_id for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"]
    assert runs and all([await world.store.summaries.cohort_run_of(run) for run in runs])

    world.fake.remove_bot_from_guild(world.guild)
    for _ in range(250):
        if await world.store.guilds.get(world.guild.id) is None:
            break
        await asyncio.sleep(0.02)
    assert await world.store.guilds.get(world.guild.id) is None
    assert [g for g, _ in await world.store.users.memberships(world.bob.id)] == [other.id]
    assert await world.store.users.memberships(world.alice.id) == []
    assert [i.company for i in await world.store.interviews.list(world.bob.id)] == ["Acme"]  # notes stay
    assert not world.bot.services.servers.watches(world.guild.channels[1].id)
    # Its cohort summary goes too: the channel, who opted in there, and its queued posts.
    assert await world.store.summaries.channels_of(world.guild.id) == []
    assert await world.store.summaries.shares_in(world.bob.id, world.guild.id) == []
    assert [p for p in await world.store.prompts.for_user(world.guild.id) if p.kind == "cohort"] == []
    assert [await world.store.summaries.cohort_run_of(run) for run in runs] == [None] * len(runs)  # its week keys


@pytest.mark.fake(members_intent=True)
async def test_a_member_leaving_drops_their_membership_there(fake, tmp_path):
    import dataclasses

    from bot.clock import Clock
    from tests.conftest import World, test_settings

    alice, bob = fake.add_user("alice"), fake.add_user("bob")
    guild = fake.add_guild("Bootcamp", members=[alice, bob], channels=["general"], admins=[alice])
    settings = test_settings(fake, tmp_path / "data")
    settings = dataclasses.replace(settings, discord=dataclasses.replace(settings.discord, members_intent=True))
    world = World(fake, settings, Clock(), None, None, None, alice, bob, None, guild)  # type: ignore[arg-type]
    await world.start()
    try:
        for user in (alice, bob):
            h = await user.slash("applications log", guild=guild, count=1)
            await h.wait_message()
        fake.remove_member(guild, bob)
        for _ in range(250):
            if not await world.store.users.memberships(bob.id):
                break
            await asyncio.sleep(0.02)
        assert await world.store.users.memberships(bob.id) == []
        assert [g for g, _ in await world.store.users.memberships(alice.id)] == [guild.id]
        assert await world.store.applications.total(bob.id, datetime(2000, 1, 1, tzinfo=UTC)) == 1  # notes stay
    finally:
        await world.stop()
    assert fake.violations == []


# -- retention ---------------------------------------------------------------------------------------


async def sweep(world) -> None:
    """Run the retention sweep now, as its APScheduler job would at its next interval."""
    job = world.bot.scheduler.get_job("privacy-retention-sweep")
    assert job is not None, "retention is on, so the sweep job is scheduled"
    job.modify(next_run_time=datetime.now(UTC))
    await asyncio.sleep(0.2)
    await world.idle()


async def recorded_active(world, user, since: datetime) -> None:
    """Wait until the user's activity is in the store: it is recorded by an ``on_interaction`` listener, a
    task of its own that may finish after the command's reply (the hourly sweep never runs in between)."""
    for _ in range(1500):
        seen = await world.store.privacy.last_seen(user.id)
        if seen is not None and seen >= since:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"{user.username}'s activity was not recorded")


@pytest.mark.privacy(retention="30d")
async def test_retention_warns_a_week_before_then_deletes_and_activity_takes_it_back(world):
    world.clock.set(NOW)
    await everything(world, world.alice)
    h = await world.bob.slash("applications log", count=1)
    await h.wait_message()
    await sweep(world)
    assert not [m for m in world.alice.dm_messages if "Keep my data" in str(m.buttons)]

    world.clock.set(NOW + timedelta(days=23, hours=1))  # 23 days idle: warned (in waking hours)
    h = await world.bob.slash("applications log", count=1)  # bob stays active
    await h.wait_message()
    await recorded_active(world, world.bob, since=NOW + timedelta(days=23))
    await sweep(world)
    warning = await world.alice.wait_for_dm(predicate=lambda m: "will be deleted" in m.content)
    assert "Keep my data" in [b[0] for b in warning.buttons]
    assert not [m for m in world.bob.dm_messages if "will be deleted" in m.content]

    world.clock.set(NOW + timedelta(days=29))
    await sweep(world)  # not yet: 30 days idle and the warning a week old
    assert await world.store.users.get(world.alice.id) is not None

    world.clock.set(NOW + timedelta(days=30, hours=2))
    await sweep(world)
    assert {t: r for t, r in rows_of(world.settings.storage.database_path, world.alice.id).items() if r} == {}
    assert await world.store.users.get(world.bob.id) is not None


@pytest.mark.privacy(retention="30d")
async def test_keep_my_data_takes_the_warning_back(world):
    world.clock.set(NOW)
    h = await world.alice.slash("applications log", count=1)
    await h.wait_message()
    world.clock.set(NOW + timedelta(days=23, hours=1))
    await sweep(world)
    warning = await world.alice.wait_for_dm(predicate=lambda m: "will be deleted" in m.content)
    kept = await world.alice.click(warning, label="Keep my data")
    await kept.response()
    assert "your data stays" in warning.content
    world.clock.set(NOW + timedelta(days=31))
    await sweep(world)
    assert await world.store.applications.total(world.alice.id, NOW - timedelta(days=1)) == 1


async def test_retention_is_off_by_default(world):
    assert world.settings.privacy.retention == timedelta(0)
    assert world.bot.scheduler.get_job("privacy-retention-sweep") is None


# -- other users' ids on every component ----------------------------------------------------------------


def forged_ids(alice: dict) -> list[tuple[str, str, str | None]]:
    """(template, custom id built with alice's record ids, select value or None for a button), one or
    more per template of bot.ui.ids; ``test_every_template_is_tried`` keeps this list complete."""
    from bot.ui import ids

    iv, db, dr, fb, pr, user = (
        alice["interview"],
        alice["debrief"],
        alice["draft"],
        alice["feedback"],
        alice["prompt"],
        alice["user"],
    )
    mark = ids.prompt_marker(pr, 0)
    return [
        (ids.DEBRIEF_START, ids.debrief_start(iv, mark), None),
        (ids.PROMPT_SNOOZE, ids.prompt_snooze("3h", mark), None),
        (ids.PROMPT_SKIP, ids.prompt_skip(mark), None),
        *[(ids.DRAFT_ACTION, ids.draft_action(a, dr), None) for a in ("save", "edit", "drop", "later")],
        (ids.ZONE_PICK, ids.zone_pick(dr), "UTC"),
        *[
            (ids.INTERVIEW_BUTTON, ids.interview_action(a, iv), None)
            for a in ("edit", "delete", "delete-yes", "remove", "keep", "forget", "forget-yes")
        ],
        (ids.INTERVIEW_WHEN, ids.interview_when(iv), "none"),
        *[(ids.GHOST_OUTCOME, ids.ghost_outcome(r, iv, mark), None) for r in ("rejected", "offer")],
        (ids.OUTCOME_CONFIRM, ids.outcome_confirm("rejected", iv), None),
        (ids.OUTCOME_CONFIRM, ids.outcome_confirm("offer", iv, sure=True), None),
        (ids.OUTCOME_DISMISS, ids.outcome_dismiss(), None),
        (ids.CHECKIN_STEP, ids.checkin_step(iv, mark), "apply"),
        (ids.CHECKIN_AGAIN, ids.checkin_again(iv, mark), None),
        (ids.FEEDBACK_REQUEST, ids.feedback_request(iv), None),
        (ids.FEEDBACK_CONTROL, ids.feedback_control("within_control", fb), None),
        *[
            (ids.STEP_BUTTON, ids.step_button(a, db, 0), None)
            for a in ("write", "skip", "next", "back", "list", "addq")
        ],
        (ids.STEP_BUTTON, ids.step_button("ans", db, 0, "unsure"), None),
        (ids.STEP_BUTTON, ids.step_button("write", db, 0, edit=True), None),
        (ids.TOPICS_SELECT, ids.topics_select(db, 1), "system_design"),
        *[(ids.CHOICE_BUTTON, ids.choice_button(a, db, iv), None) for a in ("keep", "aside")],
        (ids.FORGET_CONFIRM, ids.forget_confirm("yes", user), None),
        (ids.RETENTION_KEEP, ids.retention_keep(user), None),
        (ids.FOCUS_FROM_DEBRIEF, ids.focus_from_debrief(iv), None),
        (ids.FOCUS_SHOW, ids.focus_show(mark), None),
        *[(ids.LIST_PAGE, ids.list_page(d, 0), None) for d in ("prev", "next")],
        (ids.LIST_PICK, ids.list_pick(0), str(iv)),
        (ids.INTERVIEW_OUTCOME, ids.interview_outcome(iv), "rejected"),
        (ids.APPLICATIONS_UNDO, ids.applications_undo(alice["application"]), None),
        (ids.REPORT_ANSWER, ids.report_answer(db, 0, dr), None),
        (ids.QUIET_CONFIRM, ids.quiet_confirm("set", "1800", "1200"), None),  # the clicker's own settings only
        # what alice typed is held for her alone; the form it offers to open is hers, checked again there
        (ids.FIX_FORM, ids.fix_form("0123abcd", ids.interview_action("edit", iv)), None),
        (ids.FIX_FORM, ids.fix_form("0123abcd", ids.draft_action("edit", dr)), None),
    ]


async def forge_component(world, user, custom_id: str, value: str | None):
    h = await user.slash("help")
    source = await h.wait_message()
    if value is None:
        component = {"type": 2, "style": 2, "label": "forged", "custom_id": custom_id}
        source.components = [{"type": 1, "components": [component]}]
        return await user.click(source, custom_id=custom_id)
    component = {"type": 3, "custom_id": custom_id, "options": [{"label": value, "value": value}]}
    source.components = [{"type": 1, "components": [component]}]
    return await user.select(source, [value], custom_id=custom_id)


def test_every_template_is_tried():
    from bot.ui import ids

    templates = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str) and v.startswith("dbf:")}
    templates -= {ids.ANY_DEBRIEF_STEP, ids.STEP_MODAL}  # forms are submitted, not pressed: see below
    sample = {"interview": 1, "debrief": 1, "draft": 1, "feedback": 1, "prompt": 1, "user": 1, "application": 1}
    assert templates == {t for t, _, _ in forged_ids(sample)}


async def test_other_users_ids_on_every_component_do_nothing_and_say_so(world):
    world.clock.set(NOW)
    iid = await everything(world, world.alice)
    db = world.settings.storage.database_path
    alice_rows = rows_of(db, world.alice.id)
    alice = {
        "interview": iid,
        "debrief": alice_rows["debriefs"][0]["id"],
        "draft": alice_rows["drafts"][0]["id"],
        "feedback": alice_rows["feedback"][0]["id"],
        "prompt": next(p["id"] for p in alice_rows["prompts"] if p["kind"] == "debrief"),
        "user": world.alice.id,
        "application": alice_rows["applications"][0]["id"],
    }
    h = await world.bob.slash("settings timezone", zone="UTC")
    await h.wait_message()

    def alices_data() -> dict:
        rows = rows_of(db, world.alice.id)
        for row in rows["users"]:
            row.pop("last_seen_at")
        return rows

    before = alices_data()
    problems = []
    for _template, custom_id, value in forged_ids(alice):
        h = await forge_component(world, world.bob, custom_id, value)
        await h.response()
        reply = h.message if h.message is not None else h.source_message
        shown = str(h.modal) if h.modal is not None else (reply.content if reply is not None else "")
        if h.message is not None:  # a page of the list is an embed: its text counts too
            shown += "".join(f"{e.get('title', '')}\n{e.get('description', '')}" for e in h.message.embeds)
        shown = shown.replace("onsite at Acme tomorrow 2pm", "")  # the bot's own example, not alice's words
        if h.modal is not None:
            problems.append(f"{custom_id}: opened a form for someone else's record ({shown!r})")
        elif "Acme" in shown or "queues" in shown:
            problems.append(f"{custom_id}: showed alice's words ({shown!r})")
        elif not shown.strip():
            problems.append(f"{custom_id}: said nothing")
        elif reply is not None and reply.channel is not world.bob.dm_channel and not reply.ephemeral:
            problems.append(f"{custom_id}: answered in the open ({shown!r})")
        if alices_data() != before:
            problems.append(f"{custom_id}: changed alice's records")
            before = alices_data()
    assert not problems, "\n".join(problems)


async def test_other_users_interviews_are_never_offered_nor_reachable_through_options(world):
    from discord import app_commands

    world.clock.set(NOW)
    iid = await everything(world, world.alice)
    h = await world.bob.slash("settings timezone", zone="UTC")
    await h.wait_message()
    db = world.settings.storage.database_path
    before = rows_of(db, world.alice.id)
    commands = [
        c
        for c in world.bot.tree.walk_commands()
        if isinstance(c, app_commands.Command) and any(p.name == "interview" for p in c.parameters)
    ]
    assert len(commands) >= 4, [c.qualified_name for c in commands]
    for command in commands:
        name = command.qualified_name
        assert await world.bob.autocomplete(name, focused="interview", value="Ac") == [], name
        assert await world.bob.autocomplete(name, focused="interview", value="") == [], name
        values = {"interview": str(iid)}
        for p in command.parameters:
            if p.required and p.name != "interview":
                values[p.name] = p.choices[0].value if p.choices else ("x" if p.type.name == "string" else 1)
        h = await world.bob.slash(name, options=values)
        reply = await h.wait_message()
        assert h.modal is None and "Acme" not in reply.content and "queues" not in reply.content, (name, reply.content)
    after = rows_of(db, world.alice.id)
    for rows in (before, after):
        for row in rows["users"]:
            row.pop("last_seen_at")
    assert after == before


async def test_no_message_the_bot_sends_can_ping(world):
    """Every message body the bot sent (channel messages, interaction replies, follow-ups, edits)
    carries ``allowed_mentions`` that parse nothing, so "@everyone" or "<@id>" in a user's words can't ping."""
    world.clock.set(NOW)
    h = await world.alice.slash("settings timezone", zone="UTC", guild=world.guild)
    await h.wait_message()
    h = await world.alice.slash(
        "interview log",
        guild=world.guild,
        company=f"@everyone <@{world.bob.id}>",
        when="2 hours ago",
        stage="technical",
    )
    assert "everyone" in (await h.wait_message()).content
    world.advance(hours=3)
    await world.alice.wait_for_dm(predicate=lambda m: "How did it go" in m.content)
    h = await world.alice.slash("forget", guild=world.guild)
    await h.wait_message()
    bodies = []
    for request in world.fake.requests:
        if request.method not in ("POST", "PATCH") or not isinstance(request.json, dict):
            continue
        body = request.json.get("data") if "callback" in request.path else request.json
        if isinstance(body, dict) and "content" in body:
            bodies.append((request.path, body))
    assert len(bodies) >= 4
    for path, body in bodies:
        mentions = body.get("allowed_mentions")
        assert mentions is not None and mentions.get("parse") == [], (path, mentions)
        assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user"), path
