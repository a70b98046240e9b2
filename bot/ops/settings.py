"""The ``[ops]`` settings: the optional operations port and the log format."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OpsSettings:
    #: Serve /healthz, /readyz and /metrics on this port; 0 (the default) serves nothing.
    http_port: int = 0
    #: The address to listen on. Keep it local unless something in front of it guards access.
    http_host: str = "127.0.0.1"
    #: "text" (one readable line per record) or "json" (one JSON object per line, for log collectors).
    log_format: str = "text"
