"""Issue 11.4 end to end: /settings timezone reads zones the way people write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    ("typed", "stored", "shown", "local"),
    [
        ("GMT+1", "Etc/GMT-1", "UTC+1", "Thu 13:00"),
        ("UTC+5", "Etc/GMT-5", "UTC+5", "Thu 17:00"),
        ("EST", "America/New_York", "America/New_York", "Thu 07:00"),
        ("PST", "America/Los_Angeles", "America/Los_Angeles", "Thu 04:00"),
        ("CET", "Europe/Berlin", "Europe/Berlin", "Thu 13:00"),
        ("berln", "Europe/Berlin", "Europe/Berlin", "Thu 13:00"),
    ],
)
async def test_zones_as_people_write_them_are_set_and_the_local_time_is_shown(world, typed, stored, shown, local):
    world.clock.set(NOW)
    h = await world.alice.slash("settings timezone", zone=typed)
    reply = await h.wait_message()
    assert h.ephemeral
    assert f"**{shown}**" in reply.content and f"it's {local} there now" in reply.content
    assert (await world.store.users.get(world.alice.id)).timezone == stored


async def test_an_ambiguous_abbreviation_asks_which_and_offers_the_choices(world):
    h = await world.alice.slash("settings timezone", zone="IST")
    reply = await h.wait_message()
    assert "India" in reply.content and "Israel" in reply.content and "Ireland" in reply.content
    assert "Something went wrong" not in reply.content
    user = await world.store.users.get(world.alice.id)
    assert user is None or user.timezone is None
    choices = await world.alice.autocomplete("settings timezone", focused="zone", value="IST")
    assert [c["value"] for c in choices] == ["Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"]
