"""The layers, read from the imports (AST), so a crossing fails here whether or not it runs.

- ``bot/coach`` imports nothing outside itself and the standard library;
- ``bot/store`` imports neither the coach, the services, the cogs nor discord;
- ``bot/services`` imports no cogs and no discord at all;
- ``cogs`` import no store and no other cog (the shared UI module ``bot.ui`` is allowed);
- the store's engines (``sqlite3``, ``aiosqlite``, ``asyncpg``) are imported only by ``bot/store``.

Imports inside functions count too. Each failure names the file, the line and the import.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sqlite3", "aiosqlite", "asyncpg")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``; ``from x import y`` yields ``x.y`` too,
    so importing a submodule by name is seen."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def crossings(paths: list[Path], forbidden) -> list[str]:
    """One entry per offending import statement: ``file:line imports module (rule)``."""
    found: dict[tuple[str, int], str] = {}
    for path in paths:
        where = str(path.relative_to(ROOT))
        for line, module in imports(path):
            why = forbidden(module_name(path), module)
            if why and (where, line) not in found:
                found[where, line] = f"{where}:{line} imports {module} ({why})"
    return [found[key] for key in sorted(found)]


STDLIB = set(sys.stdlib_module_names)


def coach_rule(importer: str, module: str) -> str | None:
    if within(module, "bot.coach") or module.split(".")[0] in STDLIB or module.split(".")[0] == "__future__":
        return None
    return "the coach imports only itself and the standard library"


def store_rule(importer: str, module: str) -> str | None:
    for banned in ("bot.coach", "bot.services", "cogs", "discord"):
        if within(module, banned):
            return f"the store must not import {banned}"
    return None


def services_rule(importer: str, module: str) -> str | None:
    for banned in ("cogs", "discord", "bot.ui", "bot.app", "bot.delivery"):
        if within(module, banned):
            return f"services must not import {banned}"
    return None


def cogs_rule(importer: str, module: str) -> str | None:
    if within(module, "bot.store"):
        return "cogs reach the store only through the services"
    if within(module, "cogs"):
        own_area = ".".join(importer.split(".")[:2])
        if module != "cogs" and not within(module, own_area):
            return "cogs never import other cogs; share through bot.ui or a service"
    return None


def engine_rule(importer: str, module: str) -> str | None:
    if within(importer, "bot.store"):
        return None
    if module.split(".")[0] in ENGINES:
        return "the store's engine stays inside bot/store"
    return None


def test_the_layers_are_found() -> None:
    assert sources("bot/coach") and sources("bot/store") and sources("bot/services") and sources("cogs")


@pytest.mark.parametrize(
    ("folders", "rule"),
    [
        (("bot/coach",), coach_rule),
        (("bot/store",), store_rule),
        (("bot/services",), services_rule),
        (("cogs",), cogs_rule),
        (("bot", "cogs"), engine_rule),
    ],
    ids=["coach", "store", "services", "cogs", "engine"],
)
def test_layer(folders: tuple[str, ...], rule) -> None:
    paths = [p for p in sources(*folders) if "fakediscord" not in p.parts and p.name != "sandbox.py"]
    found = crossings(paths, rule)
    assert not found, "layer crossings:\n" + "\n".join(found)


def test_the_rules_catch_a_crossing(tmp_path) -> None:
    """The checker itself: a cog importing the store and another cog is named with its line."""
    cog = ROOT / "cogs" / "_layers_probe_.py"  # private: never loaded as an extension
    cog.write_text("import discord\nfrom bot.store import Store\nfrom cogs.help import walk\nfrom bot.ui import ids\n")
    try:
        found = crossings([cog], cogs_rule)
    finally:
        cog.unlink()
    assert found == [
        "cogs/_layers_probe_.py:2 imports bot.store (cogs reach the store only through the services)",
        "cogs/_layers_probe_.py:3 imports cogs.help (cogs never import other cogs; share through bot.ui or a service)",
    ]
