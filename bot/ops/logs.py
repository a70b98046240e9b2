"""Log format (text or JSON lines) and, when ``SENTRY_DSN`` is set, error reports to Sentry.

Debrief's own log lines carry ids and reasons, never a user's words. Sentry is imported only when a DSN
is set (the optional ``sentry`` extra), and every event passes :func:`scrub` first: exception messages,
local variables, request bodies, extra data and breadcrumb data can all hold what a user typed, so
they are removed; what is left is the exception type, the stack of code locations and our log message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)

SCRUBBED = "[scrubbed]"
SENTRY_MISSING = (
    "SENTRY_DSN is set but sentry-sdk is not installed (pip install -e '.[sentry]'); no error reports will be sent"
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_format(fmt: str) -> None:
    """Switch the root logger's handlers to ``fmt`` ("text" leaves them as they are)."""
    if fmt != "json":
        return
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonFormatter())


def scrub(event: dict[str, Any], _hint: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's ``before_send``: keep what locates a fault, drop whatever could be a user's text."""
    for key in ("request", "extra", "user", "contexts"):
        event.pop(key, None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = SCRUBBED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    breadcrumbs = event.get("breadcrumbs")
    crumbs = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in crumbs or []:
        crumb.pop("data", None)
        if crumb.get("category") not in (None, "bot") and not str(crumb.get("category", "")).startswith("bot."):
            crumb["message"] = SCRUBBED  # other libraries' log lines may quote payloads
    return event


def init_sentry(dsn: str | None, *, release: str | None = None) -> bool:
    """Send error reports to Sentry if ``dsn`` is set and sentry-sdk is installed; True if it is on."""
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        log.warning(SENTRY_MISSING)
        return False
    sentry_sdk.init(
        dsn=dsn,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
    )
    log.info("error reports go to Sentry")
    return True
