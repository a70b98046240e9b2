"""Issue 17: the lines an operator reads — ready, stopped, one per prompt — and JSON logs and Sentry scrubbing."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from datetime import UTC, datetime

import pytest

from bot.ops.logs import SCRUBBED, JsonFormatter, scrub
from fakediscord import FakeDiscord
from tests.cogs.test_debrief_e2e import is_prompt, past_interview, set_zone
from tests.procs import BotProcess
from tests.test_main import clean_env

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
NIGHT = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Berlin: quiet hours


def lines(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


async def test_ready_and_stopped_lines(world, caplog):
    with caplog.at_level(logging.INFO):
        await world.restart()
        for _ in range(100):
            if lines(caplog, "bot.ops"):
                break
            await asyncio.sleep(0.05)
    stopped, ready = [line for line in lines(caplog, "bot.ops") if line.startswith(("stopped", "ready"))][:2]
    assert stopped.startswith("stopped: 0 prompts sent since start")
    assert ready.startswith(f"ready as {world.bot.user} (id {world.bot.user.id}), 1 servers, 0 pending prompts")
    assert ready.endswith(f"data directory {world.settings.storage.data_dir}")


async def test_one_line_per_prompt_sent_held_retried_or_dropped_with_ids_and_never_text(world, caplog):
    caplog.set_level(logging.INFO, logger="bot.prompts.events")
    alice, bob = world.alice, world.bob
    bob.dms_open = False
    world.clock.set(NOW)
    await set_zone(world, alice)
    await set_zone(world, bob)
    await past_interview(world, alice, company="Acme Secret Project")
    await alice.wait_for_dm(predicate=is_prompt)
    await world.idle()
    await past_interview(world, bob, company="Bobcorp")
    await world.idle()
    world.clock.set(NIGHT)  # bob's retry comes due in his quiet hours: held till morning
    await world.idle()
    await past_interview(world, alice, company="Nightco", when="4 hours ago")  # due in the morning
    await world.idle()
    world.clock.set(datetime(2026, 11, 26, 13, 0, tzinfo=UTC))  # days later: the held prompt is far too late
    await world.idle()

    found = lines(caplog, "bot.prompts.events")
    acme = await world.store.prompts.find("debrief", (await world.store.interviews.search(alice.id, "Acme"))[0].id)
    night = await world.store.prompts.find("debrief", (await world.store.interviews.search(alice.id, "Nightco"))[0].id)
    bobs = await world.store.prompts.find("debrief", (await world.store.interviews.search(bob.id, "Bobcorp"))[0].id)
    assert f"prompt {acme.id} sent: kind=debrief user={alice.id} message_id={acme.message_id}" in "\n".join(found)
    assert any(
        line.startswith(f"prompt {bobs.id} retried: kind=debrief user={bob.id} reason=dms closed") for line in found
    )
    assert any(
        line.startswith(f"prompt {bobs.id} held: kind=debrief user={bob.id} reason=quiet hours") for line in found
    )
    assert any(line.startswith(f"prompt {night.id} dropped:") and "reason=too late" in line for line in found)
    assert not any(word in line for line in found for word in ("Acme", "Secret", "Bobcorp", "Nightco"))


def test_json_lines_parse_and_carry_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("bot.x", logging.ERROR, __file__, 1, "prompt %s failed", (7,), sys.exc_info())
    entry = json.loads(formatter.format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "bot.x" and entry["message"] == "prompt 7 failed"
    assert "ValueError: boom" in entry["exception"]


def test_sentry_events_are_scrubbed_of_user_text():
    event = {
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "could not read 'final round with Acme'",
                    "stacktrace": {"frames": [{"function": "parse", "vars": {"text": "final round with Acme"}}]},
                }
            ]
        },
        "extra": {"text": "my answer"},
        "request": {"data": "my answer"},
        "breadcrumbs": {"values": [{"category": "discord.http", "message": "payload my answer", "data": {"x": 1}}]},
        "logentry": {"message": "command %s failed for user %s", "params": ["debrief start", 1]},
    }
    cleaned = json.dumps(scrub(event, {}))
    assert "Acme" not in cleaned and "my answer" not in cleaned
    assert '"type": "ValueError"' in cleaned and SCRUBBED in cleaned
    assert '"function": "parse"' in cleaned and "command %s failed" in cleaned


async def test_a_real_process_logs_json_ready_and_stopped_lines(tmp_path):
    async with FakeDiscord(token="t") as fake:
        bot = BotProcess(fake, tmp_path / "data", "t", DEBRIEF_OPS__LOG_FORMAT="json", SENTRY_DSN="")
        await bot.start()
        for _ in range(200):
            if "ready as" in bot.log.read_text():
                break
            await asyncio.sleep(0.05)
        assert await bot.stop() == 0
    text = bot.log.read_text()
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    messages = [e["message"] for e in entries if e["logger"] == "bot.ops"]
    assert any(m.startswith("ready as ") and m.endswith(f"data directory {tmp_path / 'data'}") for m in messages), text
    assert any(m.startswith("stopped: ") for m in messages)


SENTRY_SCRIPT = """
import logging, sys
from bot.ops.logs import init_sentry
logging.basicConfig(level=logging.INFO)
assert init_sentry(sys.argv[1])
import sentry_sdk
def read(text):
    secret = text
    raise ValueError(f"could not read {secret!r}")
try:
    read("final round with Acme, I blanked on joins")
except ValueError:
    logging.getLogger("bot.app").exception("command interview log failed for user 42")
sentry_sdk.flush(timeout=10)
"""


async def test_sentry_reports_reach_the_dsn_without_the_users_words(tmp_path):
    """A real sentry-sdk sends to a local stand-in for Sentry; what arrives names the fault, not the text."""
    pytest.importorskip("sentry_sdk")
    from aiohttp import web

    received: list[bytes] = []

    async def envelope(request: web.Request) -> web.Response:
        received.append(await request.read())  # aiohttp undoes the Content-Encoding
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/api/1/envelope/", envelope)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            SENTRY_SCRIPT,
            f"http://publickey@127.0.0.1:{port}/1",
            env=clean_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, out.decode()
    finally:
        await runner.cleanup()
    sent = b"\n".join(received).decode()
    assert "ValueError" in sent and "command interview log failed" in sent
    assert "Acme" not in sent and "blanked" not in sent
