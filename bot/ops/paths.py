"""Where Debrief keeps its data when no setting says: never the current directory.

In order: systemd's ``STATE_DIRECTORY`` (set by ``StateDirectory=debrief``: ``/var/lib/debrief``), then
the platform's per-user data directory — ``$XDG_DATA_HOME/debrief`` or ``~/.local/share/debrief`` on
Linux and other Unixes, ``~/Library/Application Support/debrief`` on macOS, ``%LOCALAPPDATA%\\debrief``
on Windows. ``DEBRIEF_DATA_DIR`` or ``[storage] data_dir`` override it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP = "debrief"


def default_data_dir(env: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    state = env.get("STATE_DIRECTORY", "")
    if state:
        return Path(state.split(":", 1)[0])  # systemd lists one directory per StateDirectory= entry
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    if platform == "win32":
        local = env.get("LOCALAPPDATA")
        return Path(local) / APP if local else home / "AppData" / "Local" / APP
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / APP
    return home / ".local" / "share" / APP
