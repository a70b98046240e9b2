"""Issue 17: the Dockerfile, compose.yaml and the systemd unit, checked for what matters (no container engine here)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.test_first_run import readme_commands

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, with continuation lines joined and comments left out."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            pairs.append((instruction.upper(), rest.strip()))
    return pairs


def env_of(pairs: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for instruction, rest in pairs:
        if instruction == "ENV":
            found.update(re.findall(r"(\w+)=(\S+)", rest))
    return found


def test_dockerfile_slim_base_non_root_volume_health_check_and_the_readme_install():
    pairs = dockerfile()
    instructions = [i for i, _ in pairs]
    assert pairs[0][0] == "FROM" and re.fullmatch(r"python:3\.1\d-slim", pairs[0][1])
    env = env_of(pairs)

    install = readme_commands()[0].rsplit(" && python -m bot", 1)[0]  # the README's first command, less its run
    runs = [rest for i, rest in pairs if i == "RUN"]
    assert install in runs, f"the Dockerfile must install with the README's command: {install}"

    users = [rest for i, rest in pairs if i == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert instructions.index("USER") > instructions.index("RUN")  # installs as root, runs as the user
    assert instructions.index("USER") < instructions.index("CMD")

    volumes = " ".join(rest for i, rest in pairs if i == "VOLUME")
    assert env["DEBRIEF_DATA_DIR"] in volumes

    [health] = [rest for i, rest in pairs if i == "HEALTHCHECK"]
    assert f"127.0.0.1:{env['DEBRIEF_OPS__HTTP_PORT']}/readyz" in health
    assert [rest for i, rest in pairs if i == "CMD"] == ['["python", "-m", "bot"]']


def test_compose_keeps_the_data_in_a_named_volume():
    text = (ROOT / "compose.yaml").read_text()
    env = env_of(dockerfile())
    mount = re.search(r"^\s+- (\S+):(\S+)$", text, flags=re.MULTILINE)
    assert mount, "a volume mount under services.debrief.volumes"
    name, target = mount.groups()
    assert target == env["DEBRIEF_DATA_DIR"]
    assert not name.startswith((".", "/")), "a named volume, not a bind mount"
    assert re.search(rf"^volumes:\n  {re.escape(name)}:", text, flags=re.MULTILINE)
    assert "${DISCORD_TOKEN:?" in text  # the token from the environment, required
    assert '"127.0.0.1:9464:9464"' in text  # metrics reachable from this machine only


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, empty_lines_in_values=False)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string((ROOT / "deploy" / "debrief.service").read_text())
    return parser


def test_the_unit_restarts_on_failure_and_is_hardened():
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service["DynamicUser"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["StateDirectory"] == "debrief"  # /var/lib/debrief, the bot's default data dir under systemd
    assert service["NoNewPrivileges"] == "yes" and service["ProtectHome"] == "yes"
    assert service["ExecStart"].endswith("python -m bot")
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_analyze_verifies_the_unit(tmp_path):
    # verify checks that ExecStart's program exists: point it at this Python, everything else unchanged.
    text = (ROOT / "deploy" / "debrief.service").read_text()
    text = text.replace("/opt/debrief/.venv/bin/python", sys.executable).replace("/opt/debrief", str(tmp_path))
    path = tmp_path / "debrief.service"
    path.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "Invalid" not in result.stderr, result.stderr
