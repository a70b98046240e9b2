"""Test helpers: run a :class:`FakeDiscord` for the length of a test.

Usage in a conftest::

    import pytest_asyncio
    from fakediscord.testing import running_fake

    @pytest_asyncio.fixture
    async def fake():
        async with running_fake(ack_timeout=0.5) as fake:
            yield fake
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from .server import FakeDiscord


@contextlib.asynccontextmanager
async def running_fake(*, check_violations: bool = False, **kwargs: Any) -> AsyncIterator[FakeDiscord]:
    """Start a fake (``kwargs`` go to :class:`FakeDiscord`), yield it, close it.

    With ``check_violations`` the block fails on exit if the bot broke a Discord rule.
    """
    fake = FakeDiscord(**kwargs)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    if check_violations and fake.violations:
        raise AssertionError("Discord would have rejected:\n" + "\n".join(fake.violations))
