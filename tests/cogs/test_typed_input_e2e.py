"""Issue 9.8: what a user types into options reaches a clear reply, never the generic error.

Quiet-hours typos get the parser's own advice; interview ids typed by hand (non-ASCII digits, numbers
beyond SQLite's 64-bit integers) are refused with the picker's message.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GENERIC = "Something went wrong"


@pytest.mark.parametrize(
    ("typed", "advice"),
    [
        ("10pm-7", "'7' could be morning or evening"),
        ("22-8", "'8' could be morning or evening"),
        ("nonsense", "Write quiet hours as a start and an end"),
        ("25:00-07:00", "isn't a time on the clock"),
    ],
)
async def test_quiet_hours_typos_get_the_parsers_advice(world, typed, advice):
    h = await world.alice.slash("settings quiet-hours", hours=typed)
    said = await h.wait_message()
    assert GENERIC not in said.content
    assert advice in said.content, said.content
    assert h.ephemeral
    user = await world.store.users.get(world.alice.id)
    assert user is None or user.quiet_start is None  # nothing was changed


@pytest.mark.parametrize("typed", ["١٢", "１", str(2**63), str(2**64 + 5), "-1", "1e3"])
async def test_hand_typed_interview_ids_get_a_clear_reply(world, typed):
    alice = world.alice
    world.clock.set(NOW)
    await world.store.users.ensure(alice.id, NOW)
    await world.store.users.set_timezone(alice.id, "Europe/Berlin")
    logged = await alice.slash("interview log", company="Acme", when="3 hours ago", stage="technical")
    await logged.wait_message()
    for command, options in [
        ("interview outcome", {"interview": typed, "result": "rejected"}),
        ("debrief show", {"interview": typed}),
        ("feedback add", {"interview": typed, "text": "Good"}),
    ]:
        h = await alice.slash(command, options=options)
        said = await h.wait_message()
        assert GENERIC not in said.content, f"/{command} {typed!r}: {said.content}"
        assert "Pick the interview from the list" in said.content, said.content
    (interview,) = await world.store.interviews.list(alice.id)
    assert interview.outcome is None
