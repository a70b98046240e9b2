"""Rate limits with Discord's headers: a global per-token limit and per-route buckets.

Windows are fixed: the first request opens a window of ``period`` seconds that allows
``limit`` requests; ``X-RateLimit-Reset-After`` tells exactly when it closes. discord.py
reads these headers and waits pre-emptively; a request over the limit gets a 429 whose
body carries ``retry_after`` (and ``global`` for the global limit).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .snowflake import utcnow


@dataclass
class Window:
    """One fixed rate-limit window."""

    limit: int
    period: float
    count: int = 0
    opened: float = 0.0

    def reset_after(self, now: float) -> float:
        return max(0.0, self.opened + self.period - now)

    def _roll(self, now: float) -> None:
        if self.count == 0 or now >= self.opened + self.period:
            self.count = 0
            self.opened = now

    def try_hit(self, now: float) -> bool:
        """Count a request if the window has room; ``False`` means it is over the limit."""
        self._roll(now)
        if self.count >= self.limit:
            return False
        self.count += 1
        return True

    def remaining(self) -> int:
        return max(0, self.limit - self.count)


@dataclass
class Verdict:
    """The outcome of a rate-limit check: headers to send and, when limited, a 429 body."""

    headers: dict[str, str] = field(default_factory=dict)
    limited: bool = False
    retry_after: float = 0.0
    is_global: bool = False
    scope: str = "user"

    def body(self) -> dict[str, Any]:
        return {
            "message": "You are being rate limited.",
            "retry_after": round(self.retry_after, 3),
            "global": self.is_global,
        }


def bucket_hash(name: str) -> str:
    """An opaque bucket id like Discord's ``X-RateLimit-Bucket`` values."""
    return hashlib.sha1(name.encode()).hexdigest()[:32]


class RateLimiter:
    """The global limit and the per-route buckets of one bot token."""

    def __init__(
        self,
        *,
        global_rate: int,
        channel_rate: tuple[int, float],
        route_rate: tuple[int, float],
        channel_rate_scope: str = "user",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_window = Window(global_rate, 1.0)
        self.channel_rate = channel_rate
        self.route_rate = route_rate
        if channel_rate_scope not in ("user", "shared"):
            raise ValueError("channel_rate_scope must be 'user' or 'shared'")
        self.channel_rate_scope = channel_rate_scope
        self.clock = clock
        self._buckets: dict[tuple[str, str], Window] = {}
        self._shared: dict[str, Window] = {}

    def check_global(self) -> Verdict | None:
        """Count a request against the global limit; a 429 verdict if it is exceeded."""
        now = self.clock()
        if self.global_window.try_hit(now):
            return None
        retry = self.global_window.reset_after(now)
        return Verdict(
            headers={
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Retry-After": str(max(1, math.ceil(retry))),
            },
            limited=True,
            retry_after=retry,
            is_global=True,
            scope="global",
        )

    def check_route(self, route_key: str, major: str, *, channel_send: bool) -> Verdict:
        """Count a request against its route bucket (and the channel send limit if it sends)."""
        now = self.clock()
        advertised = channel_send and self.channel_rate_scope == "user"
        limit, period = self.channel_rate if advertised else self.route_rate
        key = (route_key, major)
        window = self._buckets.get(key)
        if window is None:
            window = self._buckets[key] = Window(limit, period)
        name = bucket_hash(route_key)
        if not window.try_hit(now):
            return self._limited(window, name, now, scope="user")
        if channel_send and self.channel_rate_scope == "shared":
            shared = self._shared.get(major)
            if shared is None:
                shared = self._shared[major] = Window(*self.channel_rate)
            if not shared.try_hit(now):
                window.count -= 1
                return self._limited(shared, bucket_hash("shared:" + major), now, scope="shared")
        return Verdict(headers=self._headers(window, name, now))

    def _headers(self, window: Window, name: str, now: float) -> dict[str, str]:
        reset_after = window.reset_after(now)
        return {
            "X-RateLimit-Limit": str(window.limit),
            "X-RateLimit-Remaining": str(window.remaining()),
            "X-RateLimit-Reset": f"{utcnow().timestamp() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": name,
        }

    def _limited(self, window: Window, name: str, now: float, *, scope: str) -> Verdict:
        headers = self._headers(window, name, now)
        retry = window.reset_after(now)
        headers["X-RateLimit-Remaining"] = "0"
        headers["X-RateLimit-Scope"] = scope
        headers["Retry-After"] = str(max(1, math.ceil(retry)))
        return Verdict(headers=headers, limited=True, retry_after=retry, scope=scope)

    def webhook_headers(self, key: str) -> dict[str, str]:
        """Generous headers for interaction and webhook routes (which skip the global limit)."""
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{utcnow().timestamp() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket_hash(key),
        }
