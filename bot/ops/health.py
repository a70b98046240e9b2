"""``/healthz``, ``/readyz`` and ``/metrics`` on a local port (aiohttp, which discord.py already uses).

* ``/healthz`` — the process is up and its event loop answers: 200.
* ``/readyz`` — 200 only when the gateway is connected (discord.py said connect/resume and not
  disconnect since, and the bot is ready), its heartbeat is acknowledged (a finite heartbeat latency;
  discord.py itself drops a connection whose acks stop), and the store takes a write within
  ``STORE_TIMEOUT``. Otherwise 503. The body is JSON naming each check.
* ``/metrics`` — Prometheus' text format.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot.ops.metrics import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from bot.ops import Ops

log = logging.getLogger(__name__)

STORE_TIMEOUT = 2.0
PROBE_KEY = "ops:readyz"


class HealthServer:
    def __init__(self, ops: Ops, host: str, port: int) -> None:
        self.ops = ops
        self.host = host
        self.port = port
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        self._runner = web.AppRunner(app, access_log=None)

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = self._runner.addresses
        if sockets:
            self.port = sockets[0][1]

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(self, _request: web.Request) -> web.Response:
        checks = await self.checks()
        ok = all(checks.values())
        return web.json_response({"ok": ok, "checks": checks}, status=200 if ok else 503)

    async def checks(self) -> dict[str, bool]:
        bot = self.ops.bot
        assert bot is not None
        gateway = self.ops.connected and bot.is_ready() and not bot.is_closed()
        heartbeat = gateway and math.isfinite(bot.latency)
        return {"gateway": gateway, "heartbeat": heartbeat, "store_writable": await self._store_writable()}

    async def _store_writable(self) -> bool:
        bot = self.ops.bot
        assert bot is not None
        try:
            await asyncio.wait_for(bot.store.set_meta(PROBE_KEY, datetime.now(UTC).isoformat()), STORE_TIMEOUT)
        except Exception as exc:  # reported as "not ready", and logged: never hidden
            log.warning("readiness: the store did not take a write: %s", type(exc).__name__ + ": " + str(exc))
            return False
        return True

    async def metrics(self, _request: web.Request) -> web.Response:
        try:
            await self.ops.refresh_prompt_counts()
        except Exception:
            log.warning("metrics: could not read prompt counts", exc_info=True)
        body = self.ops.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
