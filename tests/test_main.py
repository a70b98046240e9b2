"""``python -m bot``: every expected failure is one line on stderr and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fakediscord import FakeDiscord
from tests.procs import BotProcess

ROOT = Path(__file__).resolve().parent.parent


def clean_env() -> dict[str, str]:
    """This process's environment without Debrief's settings, importing this checkout's ``bot`` from any cwd."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_"))}
    clean["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return clean


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_no_token_names_discord_token(tmp_path):
    line = one_line(run([], tmp_path))
    assert "DISCORD_TOKEN" in line


def test_invalid_config_names_file_line_and_key(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('log_level = "INFO"\n\n[coaching]\ndebrief_delay = "three hours"\n')
    line = one_line(run(["--config", str(config)], tmp_path, DISCORD_TOKEN="x"))
    assert f"{config}:4" in line and "coaching.debrief_delay" in line


def test_unparseable_config_names_the_file(tmp_path):
    config = tmp_path / "broken.toml"
    config.write_text("[discord\napi_base = 1\n")
    line = one_line(run(["--config", str(config)], tmp_path, DISCORD_TOKEN="x"))
    assert str(config) in line and "line 1" in line


def test_missing_config_file(tmp_path):
    line = one_line(run(["--config", str(tmp_path / "nope.toml")], tmp_path, DISCORD_TOKEN="x"))
    assert "nope.toml" in line and "not found" in line


def test_token_in_config_is_refused(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[discord]\ntoken = "secret"\n')
    line = one_line(run(["--config", str(config)], tmp_path, DISCORD_TOKEN="x"))
    assert "DISCORD_TOKEN" in line and f"{config}:2" in line


def test_unwritable_data_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    line = one_line(run([], tmp_path, DISCORD_TOKEN="x", DEBRIEF_DATA_DIR=str(blocker / "data")))
    assert "data directory" in line


def test_database_path_that_is_a_directory(tmp_path):
    """Issue 11.10: one line naming the directory, and no "Event loop is closed" traceback after it."""
    directory = tmp_path / "a-directory"
    directory.mkdir()
    result = run([], tmp_path, DISCORD_TOKEN="x", DEBRIEF_DATABASE=str(directory))
    assert result.returncode == 1
    line = one_line(result)
    assert str(directory) in line and "directory" in line.replace(str(directory), "")


def test_unreachable_server(tmp_path):
    line = one_line(
        run(
            [],
            tmp_path,
            DISCORD_TOKEN="x",
            DISCORD_API_BASE="http://127.0.0.1:9/api/v10",
            DEBRIEF_DATA_DIR=str(tmp_path / "d"),
        )
    )
    assert "cannot reach" in line


async def test_rejected_token_is_one_line(tmp_path):
    async with FakeDiscord(token="the-right-token") as fake:
        env = {
            "DISCORD_TOKEN": "a-wrong-token",
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DEBRIEF_DATA_DIR": str(tmp_path / "d"),
        }
        import asyncio

        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env={**clean_env(), **env},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
        )
        _, err = await asyncio.wait_for(proc.communicate(), 60)
    result = subprocess.CompletedProcess([], proc.returncode, "", err.decode())
    line = one_line(result)
    assert "rejected the token" in line and "DISCORD_TOKEN" in line


async def test_second_start_applies_no_migration_and_connects(tmp_path):
    async with FakeDiscord(token="t") as fake:
        bot = BotProcess(fake, tmp_path / "data", "t")
        await bot.start()
        assert await bot.stop() == 0
        first = bot.log.read_text()
        await bot.start()
        assert await bot.stop() == 0
        second = bot.log.read_text()[len(first) :]
    assert "applied database migration 0001" in first
    assert "applied database migration" not in second
    assert "command tree unchanged; not syncing" in second  # "auto" sync spares Discord's limit


@pytest.mark.parametrize("mode", ["run", "sandbox"])
def test_help_flag(tmp_path, mode):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True
    )
    assert result.returncode == 0 and "sandbox" in result.stdout
