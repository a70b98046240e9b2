"""The installed bot is ``bot`` and ``cogs`` only: the fake Discord and the sandbox stay in the repository."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPO_ONLY = ("fakediscord", "sandbox", "tests", "bench")


def wheel_packages() -> list[str]:
    """The packages setuptools puts in the wheel, found in this checkout with pyproject's own selection."""
    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    return find_packages(
        where=str(ROOT / find.get("where", ["."])[0]),
        include=find.get("include", ("*",)),
        exclude=find.get("exclude", ()),
    )


def test_the_wheel_holds_the_bot_and_its_cogs():
    packages = wheel_packages()
    assert {"bot", "bot.store", "bot.coach", "bot.render", "cogs"} <= set(packages)


def test_the_wheel_leaves_out_the_fake_discord_and_the_sandbox():
    leaked = [p for p in wheel_packages() if p.partition(".")[0] in REPO_ONLY]
    assert leaked == []
    package_data = PYPROJECT["tool"]["setuptools"].get("package-data", {})
    assert [p for p in package_data if p.partition(".")[0] in REPO_ONLY] == []


def test_the_sandbox_extra_brings_what_the_fake_needs_and_the_tests_include_it():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(req.startswith("jsonschema") for req in extras["sandbox"])
    assert "debrief[sandbox]" in extras["test"]


def imports(path: Path) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def test_the_bot_never_imports_the_fake_and_reaches_the_sandbox_only_lazily():
    crossings = []
    for package in ("bot", "cogs"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for module, line in imports(path):
                top = module.partition(".")[0]
                lazy_sandbox = top == "sandbox" and path == ROOT / "bot" / "__main__.py"
                if top in REPO_ONLY and not lazy_sandbox:
                    crossings.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert crossings == []


def test_sandbox_without_the_repository_says_how_to_get_it(tmp_path):
    """Only the installed packages (bot, cogs) on the path: one line naming the extra, exit 1."""
    installed = tmp_path / "site"
    installed.mkdir()
    for package in ("bot", "cogs"):
        (installed / package).symlink_to(ROOT / package)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_", "PYTHONPATH"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(installed), "DEBRIEF_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "pip install -e '.[sandbox]'" in lines[0]
