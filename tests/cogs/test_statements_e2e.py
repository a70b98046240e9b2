"""Issue 15 end to end: an interaction issues few statements, and a repeated one writes nothing.

Counted through the query-plan recorder (``tests/query_plans.py``), which sees every statement a
repository of ``bot/store`` runs.
"""

from __future__ import annotations

from tests import query_plans


def statements() -> list[str]:
    return [sql for recorded in query_plans._traced.values() for sql, _ in recorded]


def writes(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if not sql.lstrip().upper().startswith("SELECT")]


async def test_a_server_command_used_again_reads_one_row_for_the_tree_and_one_for_the_profile(world):
    channel = world.guild.channels[0]
    h = await world.alice.slash("settings show", guild=world.guild, channel=channel)
    await h.wait_message()
    before = len(statements())
    h = await world.alice.slash("settings show", guild=world.guild, channel=channel)
    assert "Time zone" in (await h.wait_message()).content
    issued = statements()[before:]
    assert writes(issued) == [], issued
    assert len(issued) <= 3, issued  # the tree's membership, the profile, retention's last-seen (issue 14)


async def test_a_new_channel_is_remembered_in_one_transaction(world):
    first, second = world.guild.channels[:2]
    h = await world.bob.slash("settings show", guild=world.guild, channel=first)
    await h.wait_message()
    h = await world.bob.slash("settings show", guild=world.guild, channel=second)
    await h.wait_message()
    assert await world.store.users.memberships(world.bob.id) == [(world.guild.id, second.id)]


async def test_a_dm_command_of_a_known_user_reads_its_profile_in_one_statement(world):
    h = await world.carol.slash("settings show")
    await h.wait_message()
    before = len(statements())
    h = await world.carol.slash("settings show")
    await h.wait_message()
    issued = statements()[before:]
    # The profile, and retention's last-seen check (issue 14): two reads, no write.
    assert issued and writes(issued) == [] and len(issued) == 2, issued
