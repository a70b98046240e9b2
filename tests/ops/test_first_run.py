"""A newcomer's first commands: the README's, the sandbox hint without a token, and CI in step with the README."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_main import one_line, run
from tests.test_sandbox import sandbox

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    """The shell commands in the README's "Two commands" section, in order."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands for a fresh machine", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)]


def test_no_token_names_the_token_and_the_sandbox_in_one_line(tmp_path):
    line = one_line(run([], tmp_path))
    assert "DISCORD_TOKEN" in line
    assert "python -m bot sandbox" in line


def test_the_readme_first_command_runs_the_sandbox_and_the_real_server_change_is_the_token():
    first, real, tests = readme_commands()
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[sandbox]'")
    assert first.endswith("&& python -m bot sandbox")
    assert real == "DISCORD_TOKEN=your-token python -m bot"
    assert "pip install -e '.[test]'" in tests


def test_ci_runs_exactly_the_readme_test_command():
    *_, tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests.split("&& pip install", 1)[1] in "\n".join(ci)
    assert ci[-1].strip() == "pip install " + tests.split("&& pip install ", 1)[1]


def test_piped_help_through_the_readme_sandbox_command(tmp_path):
    """``printf '/help\\n' | python -m bot sandbox``: the README's first command's last step."""
    first, *_ = readme_commands()
    assert first.rsplit("&& ", 1)[1] == "python -m bot sandbox"
    result = sandbox(tmp_path, "/help\n")
    assert result.returncode == 0, result.stderr
    assert "Debrief helps you learn" in result.stdout
