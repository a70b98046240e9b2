"""Issue 9.2: private means private in every context.

Each command that shows a user's own records runs in a server (context 0), in a DM between two people
through the user install (context 2) and in the user's DM with the bot (context 1). Only the last may
answer in the open; the ephemeral flag is read from what the fake Discord recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday, 13:00 in Berlin


async def berlin(world, user) -> None:
    await world.store.users.ensure(user.id, world.clock.now())
    await world.store.users.set_timezone(user.id, "Europe/Berlin")


def places(world):
    """(name, where-keywords, must be ephemeral) for the three contexts."""
    return [
        ("guild", {"guild": world.guild}, True),
        ("private channel", {"private_with": world.bob}, True),
        ("bot DM", {}, False),
    ]


async def logged_interview(world, user, company: str) -> int:
    h = await user.slash("interview log", company=company, when="5 hours ago", stage="technical")
    await h.wait_message()
    return max(i.id for i in await world.store.interviews.list(user.id))


COMMANDS = [
    ("interview log", lambda iid: {"company": "Initech", "when": "3 hours ago", "stage": "technical"}),
    ("interview list", lambda iid: {}),
    ("interview outcome", lambda iid: {"interview": str(iid), "result": "advanced"}),
    ("feedback add", lambda iid: {"interview": str(iid), "text": "Strong on design, vague on testing"}),
    ("feedback request", lambda iid: {"interview": str(iid)}),
    ("applications log", lambda iid: {"count": 3}),
    ("debrief show", lambda iid: {"interview": str(iid)}),
    ("settings show", lambda iid: {}),
]


@pytest.mark.parametrize(("command", "options"), COMMANDS, ids=[c for c, _ in COMMANDS])
async def test_personal_replies_are_ephemeral_everywhere_but_the_bot_dm(world, command, options):
    alice = world.alice
    world.clock.set(NOW)
    await berlin(world, alice)
    iid = await logged_interview(world, alice, "Acme")
    if command == "debrief show":
        start = await alice.slash("debrief start", interview=str(iid))
        await start.wait_message()
    seen = {}
    for name, where, must_hide in places(world):
        h = await alice.slash(command, options=options(iid), **where)
        message = await h.wait_message()
        assert message.content or message.embeds
        seen[name] = h.ephemeral
        assert h.ephemeral is must_hide, f"/{command} in the {name}: ephemeral={h.ephemeral}"
    assert seen == {"guild": True, "private channel": True, "bot DM": False}
