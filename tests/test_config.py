"""Settings: defaults, the file, the environment on top, and one-line errors."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, env={})
    assert settings.coaching.debrief_delay == timedelta(hours=3)
    assert settings.coaching.ghosting_wait == timedelta(days=10)
    assert settings.storage.database_path == Path.home() / ".local" / "share" / "debrief" / "debrief.db"
    assert settings.discord.token == "" and settings.source is None


def test_example_config_is_valid_and_equals_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = load_settings(ROOT / "config.example.toml", env={})
    defaults = load_settings(None, env={})
    assert example.discord == defaults.discord
    assert example.coaching == defaults.coaching
    assert example.dispatch == defaults.dispatch
    assert example.storage == defaults.storage
    assert example.ops == defaults.ops


def test_every_setting_is_documented_in_the_example():
    text = (ROOT / "config.example.toml").read_text()
    from dataclasses import fields

    from bot.config import CoachingSettings, DiscordSettings, DispatchSettings, OpsSettings, StorageSettings

    for cls in (DiscordSettings, StorageSettings, CoachingSettings, DispatchSettings, OpsSettings):
        for f in fields(cls):
            if f.name != "token":
                assert f"{f.name} =" in text, f"{cls.__name__}.{f.name} is not in config.example.toml"


def test_environment_overrides_the_file(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[discord]\napi_base = "http://file/api/v10"\n[coaching]\ndebrief_delay = "2h"\n')
    settings = load_settings(
        config,
        env={
            "DISCORD_TOKEN": " tok ",
            "DISCORD_API_BASE": "http://env/api/v10",
            "DEBRIEF_COACHING__RESET_WINDOW": "10s",
            "DEBRIEF_DATA_DIR": str(tmp_path / "dd"),
        },
    )
    assert settings.discord.token == "tok"
    assert settings.discord.api_base == "http://env/api/v10"
    assert settings.coaching.debrief_delay == timedelta(hours=2)
    assert settings.coaching.reset_window == timedelta(seconds=10)
    assert settings.storage.database_path == tmp_path / "dd" / "debrief.db"


def test_quiet_hours_setting(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[coaching]\ndefault_quiet_hours = "23:30-07:00"\n')
    quiet = load_settings(config, env={}).coaching.default_quiet_hours
    assert (quiet.start, quiet.end) == (time(23, 30), time(7, 0))


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('[coaching]\nghosting_wait = "-3d"\n', ":2", "coaching.ghosting_wait"),
        ('[coaching]\nnot_a_setting = "1h"\n', ":2", "unknown setting coaching.not_a_setting"),
        ("[dispatch]\nrate = -1\n", ":2", "dispatch.rate"),
        ('[discord]\nsync_commands = "sometimes"\n', ":2", "sync_commands"),
        ('[discord]\ngateway_url = "http://x"\n', ":2", "ws://"),
        ('\n\n[discord]\nmessage_content = "maybe"\n', ":4", "discord.message_content"),
        ('log_level = "LOUD"\n', ":1", "log_level"),
        ("[mystery]\nx = 1\n", ":1", "unknown setting 'mystery'"),
    ],
)
def test_bad_values_name_file_line_and_key(tmp_path, text, where, words):
    config = tmp_path / "c.toml"
    config.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(config, env={})
    message = str(info.value)
    assert f"{config}{where}" in message and words in message and "\n" not in message


def test_a_postgresql_url_is_the_database_and_not_a_path(tmp_path):
    settings = load_settings(None, env={"DEBRIEF_DATABASE": "postgresql://debrief@db.internal:5432/debrief"})
    assert settings.storage.database_url == "postgresql://debrief@db.internal:5432/debrief"
    assert settings.storage.database_target == "postgresql://debrief@db.internal:5432/debrief"
    path = load_settings(None, env={"DEBRIEF_DATABASE": str(tmp_path / "d.db")}).storage
    assert path.database_url is None and path.database_target == tmp_path / "d.db"


def test_shards_and_processes_are_checked(tmp_path):
    from bot.app import DebriefBot, ShardedDebriefBot, bot_class, shard_options

    url = {"DEBRIEF_DATABASE": "postgresql://debrief@db/debrief"}
    one = load_settings(None, env={**url, "DEBRIEF_DISCORD__SHARD_COUNT": "4", "DEBRIEF_DISCORD__SHARD_IDS": "2"})
    assert shard_options(one) == {"shard_id": 2, "shard_count": 4} and bot_class(one) is DebriefBot
    two = load_settings(None, env={**url, "DEBRIEF_DISCORD__SHARD_COUNT": "4", "DEBRIEF_DISCORD__SHARD_IDS": "0,3"})
    assert shard_options(two) == {"shard_ids": [0, 3], "shard_count": 4} and bot_class(two) is ShardedDebriefBot
    assert shard_options(load_settings(None, env={})) == {}
    for wrong in ("4", "1,1", "x", ""):
        env = {**url, "DEBRIEF_DISCORD__SHARD_COUNT": "4", "DEBRIEF_DISCORD__SHARD_IDS": wrong or ","}
        with pytest.raises(ConfigError, match="shard_ids"):
            load_settings(None, env=env)
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_settings(None, env={"DEBRIEF_DISPATCH__PROCESSES": "2"})
    assert load_settings(None, env={**url, "DEBRIEF_DISPATCH__PROCESSES": "2"}).dispatch.processes == 2
