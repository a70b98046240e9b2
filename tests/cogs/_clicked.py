"""Waiting for a click that answers first (issue 15): its components come off at once, as the response, and the
message shows the outcome only once the write is done."""

from __future__ import annotations

from tests.cogs._debrief_steps import wait_until


async def settled(click, timeout: float = 5.0):
    """Wait until ``click``, answered first, has finished: its message shows components again (the record's
    buttons, or the ones given back), says nothing was recorded, or a follow-up said something. Returns the
    clicked message."""
    await click.response(timeout)

    def done() -> bool:
        message = click.message
        return bool(click.followups) or (
            message is not None and bool(message.buttons or message.selects or "nothing recorded" in message.content)
        )

    await wait_until(done, timeout)
    return click.message
