"""bot.coach stays pure: no Discord, no asyncio, no I/O, no clock reads."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import bot.coach

COACH_DIR = Path(bot.coach.__file__).parent
SOURCES = sorted(COACH_DIR.glob("*.py"))

FORBIDDEN_MODULES = {
    "discord",
    "asyncio",
    "aiosqlite",
    "sqlite3",
    "apscheduler",
    "requests",
    "httpx",
    "aiohttp",
    "socket",
    "subprocess",
    "os",
    "pathlib",
    "logging",
    "random",
    "dateparser",
    "bot.store",
    "bot.app",
    "bot.config",
    "cogs",
}
# datetime.now(), date.today(), time.time(), ... -- attribute calls that read a clock.
FORBIDDEN_METHODS = {"now", "utcnow", "today", "monotonic", "perf_counter", "time_ns", "localtime", "gmtime"}
# Bare calls that do I/O. (A bare time(9, 0) is the datetime.time constructor and is fine.)
FORBIDDEN_FUNCTIONS = {"open", "input", "print", "exec", "eval"}


def test_sources_found() -> None:
    names = {p.name for p in SOURCES}
    for expected in (
        "durations.py",
        "stages.py",
        "when.py",
        "waking.py",
        "zones.py",
        "noticing.py",
        "text.py",
        "script.py",
        "reset.py",
        "feedback.py",
        "ghosting.py",
        "voice.py",
    ):
        assert expected in names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_forbidden_imports(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            root_match = {name, name.split(".")[0]} & FORBIDDEN_MODULES
            prefix_match = any(name.startswith(f"{m}.") for m in FORBIDDEN_MODULES if "." in m)
            assert not root_match and not prefix_match, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_clock_reads_or_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                assert func.attr not in FORBIDDEN_METHODS, f"{path.name}:{node.lineno} calls .{func.attr}()"
                # some_datetime.time() is fine; the time module's time() reads the clock.
                receiver = func.value.id if isinstance(func.value, ast.Name) else None
                assert not (func.attr == "time" and receiver == "time"), f"{path.name}:{node.lineno} reads the clock"
            elif isinstance(func, ast.Name):
                assert func.id not in FORBIDDEN_FUNCTIONS, f"{path.name}:{node.lineno} calls {func.id}()"
        assert not isinstance(node, ast.AsyncFunctionDef | ast.Await), f"{path.name} has async code"


def test_every_module_imports_cleanly() -> None:
    for info in pkgutil.iter_modules([str(COACH_DIR)]):
        module = importlib.import_module(f"bot.coach.{info.name}")
        assert module.__doc__, f"bot.coach.{info.name} needs a module docstring"
