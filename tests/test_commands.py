"""The command tree: names unique, every command and option described, usable where it should be."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.app import EXTENSIONS, DebriefBot
from bot.config import Settings
from tests.conftest import World  # noqa: F401 - imported for the fixture's module


@pytest.fixture
async def tree(tmp_path):
    from bot.store import Store

    store = await Store.open(tmp_path / "d.db")
    bot = DebriefBot(Settings(), store)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    yield bot.tree
    await bot.close()
    await store.close()


async def test_names_unique_and_everything_described(tree):
    payload = [command.to_dict(tree) for command in tree.get_commands(type=discord.AppCommandType.chat_input)]
    names = [c["name"] for c in payload]
    assert len(names) == len(set(names))
    assert len(payload) <= 100

    def walk(node, path):
        assert 1 <= len(node.get("description", "")) <= 100, path
        assert node["name"] == node["name"].lower(), path
        for option in node.get("options", []):
            walk(option, f"{path} {option['name']}")

    for command in payload:
        walk(command, command["name"])


async def test_message_commands_have_names_people_read(tree):
    """Context-menu commands (issue 16) have a short name shown in the Apps menu, and no description."""
    menus = tree.get_commands(type=discord.AppCommandType.message)
    assert sorted(m.name for m in menus) == ["Debrief this", "Log as interview"]
    for menu in menus:
        data = menu.to_dict(tree)
        assert 1 <= len(data["name"]) <= 32 and not data.get("description") and not data.get("options")
    assert len(tree.get_commands()) <= 100 + 5  # 100 slash commands, 5 message commands at most


async def test_user_commands_work_in_dms_and_admin_commands_only_in_servers(tree):
    for command in tree.get_commands():  # message commands too
        data = command.to_dict(tree)
        if command.name == "server":
            assert data["contexts"] == [0] and data["integration_types"] == [0]
            assert int(data["default_member_permissions"]) == 32
        else:
            assert sorted(data["contexts"]) == [0, 1, 2], command.name
            assert sorted(data["integration_types"]) == [0, 1], command.name
    assert all(
        isinstance(c, (app_commands.Command, app_commands.Group))
        for c in tree.get_commands(type=discord.AppCommandType.chat_input)
    )
    assert all(isinstance(c, app_commands.ContextMenu) for c in tree.get_commands(type=discord.AppCommandType.message))


async def test_extensions_are_discovered_and_their_order_does_not_matter(tmp_path):
    """Every public module or package under cogs/ is an extension; loaded in any order, the tree is the same."""
    import pkgutil

    import cogs
    from bot.store import Store

    public = {f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")}
    assert set(EXTENSIONS) == public and {"cogs.interviews", "cogs.debrief"} <= public
    trees = []
    for order in (list(EXTENSIONS), list(reversed(EXTENSIONS))):
        store = await Store.open(tmp_path / f"{len(trees)}.db")
        bot = DebriefBot(Settings(), store)
        for extension in order:
            await bot.load_extension(extension)
        trees.append(sorted((c.to_dict(bot.tree) for c in bot.tree.get_commands()), key=lambda c: c["name"]))
        await bot.close()
        await store.close()
    assert trees[0] == trees[1]
    interview = next(c for c in trees[0] if c["name"] == "interview")
    assert {o["name"] for o in interview["options"]} == {"log", "list", "outcome"}
