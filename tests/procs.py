"""The real bot as a separate process (``python -m bot``), for tests that kill it with SIGKILL.

The fake Discord runs in the test process; the bot process reaches it over loopback through
``DISCORD_API_BASE`` and ``DISCORD_GATEWAY_URL``, exactly as an operator would point it elsewhere.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    def __init__(self, fake: FakeDiscord, data_dir: Path, token: str, **env: str) -> None:
        self.fake = fake
        self.data_dir = data_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEBRIEF_"))},
            "DISCORD_TOKEN": token,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DEBRIEF_DATA_DIR": str(data_dir),
            "DEBRIEF_DISCORD__SYNC_COMMANDS": "auto",
            # This checkout's bot, whatever is installed in the environment (an editable install of another
            # checkout would otherwise be the one run, since the process starts in the data directory).
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **env,
        }
        self.proc: asyncio.subprocess.Process | None = None
        self.log = data_dir / "bot.log"
        self.starts = 0

    async def start(self, timeout: float = 30.0) -> None:
        """Start the bot process and wait until it is connected (READY)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        before = self.fake.gateway.ready_count
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"--- start {self.starts}\n".encode())
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=str(self.data_dir),
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        proc = self.proc
        try:
            await self.fake.state.changes.wait_until(
                lambda: self.fake.gateway.ready_count > before or proc.returncode is not None, timeout
            )
        except TimeoutError:
            raise TimeoutError(f"bot did not connect; log:\n{self.log.read_text()[-3000:]}") from None
        if proc.returncode is not None:
            raise RuntimeError(f"bot exited with {proc.returncode}; log:\n{self.log.read_text()[-3000:]}")

    async def kill9(self) -> None:
        """SIGKILL: no cleanup of any kind, as in a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> int:
        """SIGINT, as Ctrl-C: the bot closes cleanly."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(self.proc.wait(), 15)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()
