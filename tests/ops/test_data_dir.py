"""Issue 17: the default data directory never depends on the current directory."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_settings
from bot.ops.paths import default_data_dir
from tests.test_main import run


def test_systemd_state_directory_comes_first():
    env = {"STATE_DIRECTORY": "/var/lib/debrief:/var/lib/other", "XDG_DATA_HOME": "/x", "HOME": "/home/u"}
    assert default_data_dir(env, "linux") == Path("/var/lib/debrief")


def test_the_platform_user_data_directory():
    assert default_data_dir({"HOME": "/home/u"}, "linux") == Path("/home/u/.local/share/debrief")
    assert default_data_dir({"HOME": "/home/u", "XDG_DATA_HOME": "/data"}, "linux") == Path("/data/debrief")
    assert default_data_dir({"HOME": "/home/u", "XDG_DATA_HOME": "rel"}, "linux") == Path(
        "/home/u/.local/share/debrief"
    )  # a relative XDG value is ignored, as the spec says
    assert default_data_dir({"HOME": "/Users/u"}, "darwin") == Path("/Users/u/Library/Application Support/debrief")
    assert default_data_dir({"HOME": "C:/u", "LOCALAPPDATA": "C:/u/AppData/Local"}, "win32") == Path(
        "C:/u/AppData/Local/debrief"
    )


def test_settings_use_it_and_the_environment_still_overrides(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(None, env={"HOME": "/home/u"}).storage.data_dir == Path("/home/u/.local/share/debrief")
    env = {"STATE_DIRECTORY": "/var/lib/debrief", "DEBRIEF_DATA_DIR": str(tmp_path / "d")}
    assert load_settings(None, env=env).storage.data_dir == tmp_path / "d"


def test_the_bot_looks_in_the_same_place_from_any_directory(tmp_path):
    """``python -m bot backup`` reads the database where the bot keeps it, wherever it is run from."""
    home = tmp_path / "home"
    (tmp_path / "elsewhere").mkdir()
    for cwd in (tmp_path, tmp_path / "elsewhere"):
        result = run(["backup", str(tmp_path / "b.db")], cwd, HOME=str(home), XDG_DATA_HOME="")
        assert f"no database at {home / '.local' / 'share' / 'debrief' / 'debrief.db'}" in result.stderr
    state = tmp_path / "state"
    result = run(["backup", str(tmp_path / "b.db")], tmp_path, HOME=str(home), STATE_DIRECTORY=str(state))
    assert f"no database at {state / 'debrief.db'}" in result.stderr
