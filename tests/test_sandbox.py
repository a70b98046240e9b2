"""``python -m bot sandbox``: the real bot and the fake Discord, driven by lines on stdin.

The end-to-end tests run the command in a subprocess exactly as a newcomer would, with a script piped
on stdin and the data in a temporary directory.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import InputError, split_options

ROOT = Path(__file__).resolve().parents[1]


def sandbox(tmp_path: Path, script: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot sandbox`` with ``script`` on stdin, data under ``tmp_path/data``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBRIEF_", "DISCORD_"))}
    env["DEBRIEF_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "bot", "sandbox"],
        input=script,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def in_order(text: str, *parts: str) -> None:
    """Each part occurs in ``text``, after the one before."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at} in:\n{text}"
        at = found + len(part)


def test_piped_help_prints_the_help_text_and_exits_0(tmp_path):
    result = sandbox(tmp_path, "/help\n")
    assert result.returncode == 0, result.stderr
    assert "Debrief helps you learn" in result.stdout
    assert "/interview log" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "sandbox" / "debrief.db").exists()


def test_scripted_session_prompt_snooze_and_a_dm_read_as_an_interview(tmp_path):
    script = "\n".join(
        [
            "/settings timezone zone:Europe/Berlin",
            ":time 2026-11-23 13:00",  # a Monday, 13:00 in Berlin: outside the default quiet hours
            "/interview log company:Acme when:2 hours ago stage:technical",
            ":advance 2h",  # 3 h after the interview ended: the debrief prompt is due
            "click 2",  # [2] In 1 h
            ":time +1h",
            "final round with Globex on Thursday at 3pm",
            "click 1",  # [1] Yes, record it
            "",
        ]
    )
    result = sandbox(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    in_order(
        out,
        "you> /settings timezone zone:Europe/Berlin",
        "Debrief (only you can see this)> Time zone set to **Europe/Berlin**",
        "Clock: Mon 23 Nov 2026 13:00 Europe/Berlin (12:00 UTC)",
        "Saved: **Acme** — technical, today 11:00 (60 min).",
        "**today 15:00**",
        "[1] Debrief now  [2] Edit  [3] Delete",
        "you> :advance 2h",
        "Clock: Mon 23 Nov 2026 15:00 Europe/Berlin",
        "**How did it go at Acme?**",
        "[1] Start debrief  [2] In 1 h  [3] In 3 h  [4] Tomorrow morning  [5] Skip",
        "you> click 2",
        "Debrief (edited)>",
        "Snoozed. I'll ask again today 16:00.",
        "you> :time +1h",
        "**How did it go at Acme?**",  # asked again after the snooze
        "[1] Start debrief  [2] In 1 h",
        "you> final round with Globex on Thursday at 3pm",
        "That sounds like an onsite / final with **Globex**, Thu 26 Nov 15:00. Shall I record it",
        "[1] Yes, record it  [2] Fix the details  [3] Not an interview",
        "you> click 1",
        "Debrief (edited)>",
        "Saved: **Globex** — onsite / final, Thu 26 Nov 15:00 (60 min).",
    )
    assert out.count("**How did it go at Acme?**") == 3  # the prompt, its edit, and the one an hour later


def test_bad_input_gets_one_clear_line_and_the_session_goes_on(tmp_path):
    script = "\n".join(
        [
            "click 1",
            "/nosuch",
            "/interview log compnay:Acme when:today stage:technical",
            "/interview log company:Acme",
            "/interview log company:Acme when:today 10:00 stage:nonsense",
            "/interview",
            ":bogus",
            "/server show",  # guild-only: runs in the Sandbox server by itself
            "/help",
            "",
        ]
    )
    result = sandbox(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    in_order(
        result.stdout,
        "you> click 1",
        "sandbox: no message from Debrief has buttons to click",
        "you> /nosuch",
        "sandbox: there is no /nosuch command; the commands are ",
        "/help, /interview,",
        "you> /interview log compnay:Acme",
        "sandbox: /interview log has no option 'compnay'; it takes company (required), when (required), "
        "stage (required), role, length",
        "you> /interview log company:Acme",
        "sandbox: /interview log needs when:... stage:...;",
        "you> /interview log company:Acme when:today 10:00 stage:nonsense",
        "sandbox: stage is one of: Recruiter screen, Technical,",
        "you> /interview\n",
        "sandbox: /interview needs a subcommand: one of log, list, outcome",
        "you> :bogus",
        "sandbox: unknown sandbox command :bogus; :help lists them",
        "you> /server show",
        "Debrief (only you can see this) in #general>",
        "you> /help",
        "Debrief helps you learn",
    )


def test_forms_and_data_that_persists_to_the_next_run(tmp_path):
    first = sandbox(
        tmp_path,
        "\n".join(
            [
                "/settings timezone zone:UTC",
                ":time 2026-11-23 09:00",
                # in the server: only you see it
                "@server /interview log company:Hooli when:today 10:00 stage:technical",
                "click Edit",
                "Hooli XYZ",  # Company
                "tomorrow 15:00",  # When
                "",  # Stage: kept
                "",  # Role: left empty
                "45",  # Length
                "",
            ]
        ),
    )
    assert first.returncode == 0, first.stderr
    in_order(
        first.stdout,
        "Debrief (only you can see this) in #general>",
        "Saved: **Hooli** — technical, today 10:00 (60 min).",
        "you> click Edit",
        "Debrief opens a form: Edit interview",
        "Company [Hooli]: Hooli XYZ",
        "When (your time) [2026-11-23 10:00]: tomorrow 15:00",
        "Stage [Technical]:",
        "Length in minutes [60]: 45",
        "Saved: **Hooli XYZ** — technical, tomorrow 15:00 (45 min).",
    )
    second = sandbox(tmp_path, "/interview list\n")
    assert second.returncode == 0, second.stderr
    assert "**Hooli XYZ** — technical" in second.stdout


# -- reading options -------------------------------------------------------------------------------

LOG = {
    "options": [
        {"name": "company", "type": 3, "required": True},
        {"name": "when", "type": 3, "required": True},
        {"name": "stage", "type": 3, "required": True},
        {"name": "role", "type": 3},
    ]
}


def test_option_values_run_to_the_next_option_and_may_be_quoted():
    assert split_options('company:Acme Corp when:"tomorrow 2pm" stage:technical', LOG, "interview log") == [
        ("company", "Acme Corp"),
        ("when", "tomorrow 2pm"),
        ("stage", "technical"),
    ]
    assert split_options("when:today 2:30pm role:Dev: backend company:O'Brien's", LOG, "interview log") == [
        ("when", "today 2:30pm"),
        ("role", "Dev: backend"),
        ("company", "O'Brien's"),
    ]
    assert split_options("company:see https://acme.example/jobs", LOG, "x") == [
        ("company", "see https://acme.example/jobs")
    ]
    assert split_options("", LOG, "x") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Acme", "options are written name:value"),
        ("company:Acme compnay:Other", "has no option 'compnay'"),
        ('when:"tomorrow', "has no closing"),
        ("company:A company:B", "given twice"),
    ],
)
def test_option_mistakes_are_named(text, message):
    with pytest.raises(InputError, match=message):
        split_options(text, LOG, "interview log")


# -- time passing (issue 11.9) ----------------------------------------------------------------------


def test_a_jump_in_time_sends_each_prompt_when_it_falls_due(tmp_path):
    """Two days in one :advance: the debrief prompt (Mon 15:00) and the check-in (Tue 08:00) both arrive,
    in order and not "late", instead of being dropped as over max_lateness."""
    script = "\n".join(
        [
            "/settings timezone zone:Europe/Berlin",
            ":time 2026-11-23 13:00",
            "/interview log company:Acme when:2 hours ago stage:technical",
            "/interview outcome interview:Acme result:rejected",
            ":advance 2d",
            "/interview list",
            "",
        ]
    )
    result = sandbox(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    in_order(
        out,
        "I'll check in tomorrow 08:00",
        "you> :advance 2d",
        "Clock: Wed 25 Nov 2026 13:00 Europe/Berlin",
        "(time passes: Mon 23 Nov 15:00)",
        "**A debrief of Acme",  # the debrief prompt, at its due time (worded for the rejection: issue 11.2)
        "(time passes: Tue 24 Nov 08:00)",
        "Checking in after Acme",  # the check-in, at its due time
        "you> /interview list",
    )
    jump = out[out.index("you> :advance 2d") : out.index("you> /interview list")]
    assert "later than planned" not in jump
    assert "Can't keep up" not in out + result.stderr


def test_every_message_with_buttons_stays_clickable_and_a_number_is_an_answer(tmp_path):
    script = "\n".join(
        [
            "/settings timezone zone:Europe/Berlin",
            ":time 2026-11-23 13:00",
            "/interview log company:Acme when:2 hours ago stage:technical",  # message 1: Debrief now, Edit, Delete
            "/interview outcome interview:Acme result:rejected",  # message 2: Draft a feedback request
            "click 1.2",  # Edit, on the older message
            ":cancel",
            "click 1.1",  # Debrief now, on the older message: the first step, a text question
            "3",  # an answer typed in the DM, not a click on button 3
            "click 9.1",
            "",
        ]
    )
    result = sandbox(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    in_order(
        out,
        "[1] Debrief now  [2] Edit  [3] Delete",
        "(message 1: click 1.N clicks its button N)",
        "[1] Draft a feedback request",
        "(message 2: click 2.N clicks its button N)",
        "you> click 1.2",
        "Debrief opens a form: Edit interview",
        "you> click 1.1",
        "**From arrival to goodbye**",
        "you> 3",
        "step 2 of 12",  # the answer was taken and the debrief moved on
        "you> click 9.1",
        "sandbox: there is no message 9 with buttons",
    )
    answered = out[out.index("you> 3") : out.index("you> click 9.1")]
    assert "sandbox:" not in answered


async def test_a_sandbox_run_across_heartbeats_never_says_it_cannot_keep_up(tmp_path, monkeypatch, caplog):
    """discord.py's keep-alive thread records a heartbeat's send time only after the send returns; an
    in-process fake that ACKs at once is heard first whenever the event loop is busy (the thread waits for
    the GIL), so discord.py measured from the heartbeat before (one interval) and, past 10 s, warned
    "Can't keep up ... websocket is N s behind" (issue 11.9). The interval is just over discord.py's 10 s
    threshold, so the first heartbeat from the thread shows it; the loop is kept busy around it."""
    from bot.config import load_settings
    from sandbox import Sandbox

    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={"DEBRIEF_DATA_DIR": str(tmp_path / "data")})
    out = io.StringIO()
    box = Sandbox(settings, out=out, heartbeat_interval=10.5)
    loop = asyncio.get_running_loop()
    await box.start()
    try:
        fake, bot = box.world
        first = bot.latency  # the ACK of the heartbeat sent on HELLO (from the event loop, measured right)
        await asyncio.sleep(box.heartbeat_interval - 1.5)
        # The next heartbeat comes from the keep-alive thread: wait for its ACK to be measured, with the
        # event loop as busy as a bot at work (bounded at three intervals, against a runaway).
        deadline = loop.time() + 3 * box.heartbeat_interval
        while not (fake.gateway.heartbeat_count >= 2 and bot.latency != first):
            assert loop.time() < deadline, "no second heartbeat was acknowledged"
            sum(range(50_000))  # CPU work that holds the GIL, then a turn of the loop
            await asyncio.sleep(0)
        measured = bot.latency
        await box.handle("/help")
    finally:
        await box.stop()
    assert "Debrief helps you learn" in out.getvalue()
    assert "Can't keep up" not in caplog.text
    assert "Can't keep up" not in out.getvalue()
    assert measured < 5.0  # a round trip on loopback, not the time since the heartbeat before
