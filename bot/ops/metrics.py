"""Prometheus metrics of one bot, in a registry of its own (so two bots in one process never mix).

Labels are only ever names chosen in code: a command's qualified name, an interaction type, a prompt
kind, an outcome, an HTTP method, a route with every id and token replaced, a statement's verb. Never a
user's text, never an id.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics", "route_label"]

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Prompt lateness: from well under a second (on time) to the 12 h at which a prompt is dropped.
_LATENESS_BUCKETS = (0.5, 1, 5, 15, 60, 120, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
_STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA"})
_WORD = re.compile(r"[a-z@_-]{1,32}")  # a fixed path word such as "channels" or "@original"
_RATE_LIMIT_SCOPES = frozenset({"user", "global", "shared"})
#: Statement texts whose histogram child is kept (the store's SQL is fixed in code; a bound all the same).
_STATEMENT_TEXTS = 2000


def route_label(path: str) -> str:
    """``/api/v10/channels/123/messages`` → ``/channels/{id}/messages``; tokens and emoji become ``{x}``."""
    parts = path.split("?", 1)[0].split("/")
    try:
        start = parts.index("api") + 2  # skip "api" and "v10"
    except ValueError:
        start = 0
    out = []
    for part in parts[start:]:
        if not part:
            continue
        if part.isdigit():
            out.append("{id}")
        elif _WORD.fullmatch(part):
            out.append(part)
        else:
            out.append("{x}")
    return "/" + "/".join(out)


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.interactions = Counter(
            "debrief_interactions",
            "Interactions handled, by command (or interaction type) and outcome (ok, user_error, error).",
            ["command", "outcome"],
            registry=registry,
        )
        self.interaction_seconds = Histogram(
            "debrief_interaction_seconds",
            "Time from receiving an application command to its end, by command.",
            ["command"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.prompts = Gauge(
            "debrief_prompts",
            "Prompts still to send, by kind and state (pending, claimed); sent and failed ones are events.",
            ["kind", "state"],
            registry=registry,
        )
        self.prompt_events = Counter(
            "debrief_prompt_events",
            "What the dispatcher did with a prompt since start: sent, held, retried, dropped, failed.",
            ["kind", "event"],
            registry=registry,
        )
        self.prompt_lateness = Histogram(
            "debrief_prompt_lateness_seconds",
            "How long after its due time a prompt was sent.",
            ["kind"],
            buckets=_LATENESS_BUCKETS,
            registry=registry,
        )
        self.discord_requests = Counter(
            "debrief_discord_requests",
            "HTTP requests to Discord by method, route (ids and tokens removed) and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.messages_sent = Counter(
            "debrief_discord_messages_sent", "Messages the bot posted (REST message creates).", registry=registry
        )
        self.rate_limited = Counter(
            "debrief_discord_rate_limited",
            "429 responses from Discord, by scope (user, global, shared, unknown).",
            ["scope"],
            registry=registry,
        )
        self.gateway_latency = Gauge(
            "debrief_gateway_latency_seconds", "Gateway heartbeat round trip (NaN when unknown).", registry=registry
        )
        self.gateway_connected = Gauge(
            "debrief_gateway_connected", "1 while the gateway connection is up.", registry=registry
        )
        self.gateway_reconnects = Counter(
            "debrief_gateway_reconnects",
            "Gateway reconnections (resumed or re-identified) since start.",
            registry=registry,
        )
        self.store_seconds = Histogram(
            "debrief_store_statement_seconds",
            "Time one SQL statement took, by verb.",
            ["verb"],
            buckets=_STORE_BUCKETS,
            registry=registry,
        )
        self._statement_children: dict[str, Any] = {}

    # -- feeding ------------------------------------------------------------------------------------

    def watch_latency(self, latency: Callable[[], float]) -> None:
        self.gateway_latency.set_function(lambda: _finite_or_nan(latency()))

    def statement(self, sql: str, seconds: float) -> None:
        """Every statement the store runs: the histogram's child is found once per distinct SQL text (a
        few dozen in code), not looked up by label on each of the many statements an interaction makes."""
        child = self._statement_children.get(sql)
        if child is None:
            words = sql.split(None, 1)
            verb = words[0].upper() if words else ""
            child = self.store_seconds.labels(verb if verb in _VERBS else "OTHER")
            if len(self._statement_children) < _STATEMENT_TEXTS:
                self._statement_children[sql] = child
        child.observe(seconds)

    def set_prompt_counts(self, counts: dict[tuple[str, str], int]) -> None:
        self.prompts.clear()
        for (kind, state), count in counts.items():
            self.prompts.labels(kind, state).set(count)

    def http_trace(self) -> aiohttp.TraceConfig:
        """An aiohttp trace for discord.py's HTTP session (``Client(http_trace=...)``, a documented option)."""
        trace = aiohttp.TraceConfig()

        async def on_request_end(_session: Any, _context: Any, params: aiohttp.TraceRequestEndParams) -> None:
            status = params.response.status
            route = route_label(params.url.path)
            method = params.method.upper()
            self.discord_requests.labels(method, route, str(status)).inc()
            if status == 429:
                scope = (params.response.headers.get("X-RateLimit-Scope") or "").lower()
                self.rate_limited.labels(scope if scope in _RATE_LIMIT_SCOPES else "unknown").inc()
            elif 200 <= status < 300 and method == "POST" and route == "/channels/{id}/messages":
                self.messages_sent.inc()

        trace.on_request_end.append(on_request_end)
        return trace

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _finite_or_nan(value: float) -> float:
    return value if math.isfinite(value) else math.nan
