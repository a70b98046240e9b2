"""Discord gateway v10 over aiohttp websockets: HELLO, IDENTIFY/READY, heartbeats, RESUME, dispatch.

Each connection has a writer task fed by a queue, so events are sent in sequence order
and :meth:`GatewayManager.dispatch` can be called from synchronous code. Sessions outlive
their connections: events for a disconnected session are buffered and replayed on RESUME.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .state import INTENT_GUILD_MEMBERS, INTENT_GUILD_PRESENCES, INTENT_MESSAGE_CONTENT

if TYPE_CHECKING:
    from .server import FakeDiscord

_log = logging.getLogger(__name__)

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_VOICE_STATE_UPDATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_INVALID_API_VERSION = 4012
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014

BUFFER_MAX = 2000

try:  # discord.py prefers zstd-stream when a zstd module is importable
    import zstandard
except ImportError:
    zstandard = None


@dataclass(eq=False)
class GatewaySession:
    """An identified gateway session; it survives dropped connections until it is resumed."""

    session_id: str
    intents: int
    message_content: bool
    shard: list[int] | None = None
    seq: int = 0
    buffer: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=BUFFER_MAX))
    connection: Connection | None = None
    resumes: int = 0

    def next_frame(self, event: str, data: Any) -> dict[str, Any]:
        self.seq += 1
        frame = {"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data}
        self.buffer.append(frame)
        return frame


class Connection:
    """One websocket: a queue of frames and the task that compresses and writes them."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: str | None) -> None:
        self.ws = ws
        self.transport = request.transport
        self.queue: asyncio.Queue[dict[str, Any] | tuple[int, str]] = asyncio.Queue()
        self.session: GatewaySession | None = None
        self.last_heartbeat = time.monotonic()
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self._zstd = zstandard.ZstdCompressor().compressobj() if compress == "zstd-stream" and zstandard else None
        self.writer = asyncio.create_task(self._write_loop(), name="fakediscord-gateway-writer")

    def send(self, frame: dict[str, Any]) -> None:
        self.queue.put_nowait(frame)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued have been sent."""
        self.queue.put_nowait((code, reason))

    def _encode(self, frame: dict[str, Any]) -> bytes | str:
        text = json.dumps(frame, separators=(",", ":"))
        if self._zlib is not None:
            return self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self._zstd is not None:
            return self._zstd.compress(text.encode()) + self._zstd.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
        return text

    async def _write_loop(self) -> None:
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, tuple):
                    code, reason = item
                    await self.ws.close(code=code, message=reason.encode())
                    return
                data = self._encode(item)
                if isinstance(data, bytes):
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(data)
        except (ConnectionError, RuntimeError) as exc:
            _log.debug("gateway writer stopped: %s", exc)

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (what a network failure looks like)."""
        if self.transport is not None:
            self.transport.abort()


class GatewayManager:
    """Accepts gateway connections for the fake's single bot application."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[Connection] = set()
        self.ready_count = 0
        self.resumed_count = 0
        self.identify_count = 0
        self.heartbeat_count = 0
        self.connects: list[dict[str, str]] = []
        self._hold_until = 0.0

    # -- dispatch ---------------------------------------------------------------------------

    def dispatch(self, event: str, build: Callable[[GatewaySession], dict[str, Any] | None]) -> None:
        """Send ``event`` to every session whose ``build(session)`` returns a payload."""
        for session in self.sessions.values():
            data = build(session)
            if data is None:
                continue
            frame = session.next_frame(event, data)
            if session.connection is not None:
                session.connection.send(frame)

    def hold(self, seconds: float) -> None:
        """Make new connections wait ``seconds`` before HELLO (to queue events during a drop)."""
        self._hold_until = max(self._hold_until, time.monotonic() + seconds)

    def drop(self) -> int:
        """Abruptly drop every connection; sessions stay resumable. Returns how many were dropped."""
        dropped = 0
        for conn in list(self.connections):
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            conn.abort()
            dropped += 1
        return dropped

    async def close_all(self) -> None:
        for conn in list(self.connections):
            conn.close(1001, "server shutting down")
        writers = [c.writer for c in self.connections]
        if writers:
            await asyncio.wait(writers, timeout=2)
        for conn in list(self.connections):
            conn.writer.cancel()
            conn.abort()

    # -- connection handling ----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        version = request.query.get("v", "10")
        encoding = request.query.get("encoding", "json")
        compress = request.query.get("compress")
        conn = Connection(ws, request, compress)
        self.connections.add(conn)
        self.connects.append(dict(request.query))
        try:
            if version != "10":
                conn.close(CLOSE_INVALID_API_VERSION, "Invalid API version")
            elif encoding != "json":
                conn.close(CLOSE_DECODE_ERROR, "Only encoding=json is supported by the fake")
            else:
                delay = self._hold_until - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                conn.send(
                    {
                        "op": OP_HELLO,
                        "d": {"heartbeat_interval": int(self.fake.heartbeat_interval * 1000)},
                        "s": None,
                        "t": None,
                    }
                )
                await self._read_loop(conn)
        finally:
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            self.connections.discard(conn)
            if not conn.writer.done():
                conn.queue.put_nowait((1000, ""))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(conn.writer), 1.0)
                conn.writer.cancel()
        return ws

    async def _read_loop(self, conn: Connection) -> None:
        async for msg in conn.ws:
            if msg.type == WSMsgType.TEXT:
                raw: str | bytes = msg.data
            elif msg.type == WSMsgType.BINARY:
                raw = msg.data
            else:
                break
            try:
                payload = json.loads(raw)
                op = payload["op"]
            except (ValueError, KeyError, TypeError):
                self.fake.violation("gateway: undecodable payload")
                conn.close(CLOSE_DECODE_ERROR, "Decode error")
                return
            if not self._handle_op(conn, op, payload.get("d")):
                return

    def _handle_op(self, conn: Connection, op: int, data: Any) -> bool:
        """Handle one client payload; ``False`` ends the connection."""
        if op == OP_HEARTBEAT:
            conn.last_heartbeat = time.monotonic()
            self.heartbeat_count += 1
            self.fake.state.changes.notify()
            ack = {"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None}
            if self.fake.heartbeat_ack_delay > 0:
                asyncio.get_running_loop().call_later(self.fake.heartbeat_ack_delay, conn.send, ack)
            else:
                conn.send(ack)
            return True
        if op == OP_IDENTIFY:
            return self._identify(conn, data or {})
        if op == OP_RESUME:
            return self._resume(conn, data or {})
        if conn.session is None:
            self.fake.violation(f"gateway: op {op} sent before IDENTIFY")
            conn.close(CLOSE_NOT_AUTHENTICATED, "Not authenticated.")
            return False
        if op == OP_REQUEST_GUILD_MEMBERS:
            self._members_chunk(conn, data or {})
            return True
        if op in (OP_PRESENCE_UPDATE, OP_VOICE_STATE_UPDATE):
            return True
        self.fake.violation(f"gateway: unknown opcode {op}")
        conn.close(CLOSE_UNKNOWN_OPCODE, "Unknown opcode.")
        return False

    def _identify(self, conn: Connection, data: dict[str, Any]) -> bool:
        fake = self.fake
        self.identify_count += 1
        if conn.session is not None:
            fake.violation("gateway: IDENTIFY sent twice on one connection")
            conn.close(CLOSE_ALREADY_AUTHENTICATED, "Already authenticated.")
            return False
        if data.get("token") != fake.token:
            conn.close(CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return False
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
            fake.violation(f"gateway: invalid intents {intents!r}")
            conn.close(CLOSE_INVALID_INTENTS, "Invalid intent(s).")
            return False
        disallowed = (
            intents
            & ~fake.enabled_privileged_intents
            & (INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT)
        )
        if disallowed:
            fake.violation(
                f"gateway: identified with privileged intents {disallowed:#x} the application has not enabled"
            )
            conn.close(CLOSE_DISALLOWED_INTENTS, "Disallowed intent(s).")
            return False
        shard = data.get("shard")
        if shard is not None and list(shard) != [0, 1]:
            conn.close(CLOSE_INVALID_SHARD, "Invalid shard (the fake supports one shard).")
            return False
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            intents=intents,
            message_content=bool(intents & INTENT_MESSAGE_CONTENT) and fake.message_content_intent,
            shard=list(shard) if shard is not None else None,
        )
        self.sessions[session.session_id] = session
        conn.session = session
        session.connection = conn
        conn.send(session.next_frame("READY", fake.ready_payload(session)))
        for guild in fake.state.guilds.values():
            conn.send(session.next_frame("GUILD_CREATE", guild.to_gateway_payload()))
        self.ready_count += 1
        fake.state.changes.notify()
        return True

    def _resume(self, conn: Connection, data: dict[str, Any]) -> bool:
        fake = self.fake
        if data.get("token") != fake.token:
            conn.close(CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return False
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if session is None or not isinstance(seq, int):
            conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return True
        oldest = session.buffer[0]["s"] if session.buffer else session.seq + 1
        if seq + 1 < oldest:
            conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return True
        if session.connection is not None and session.connection is not conn:
            session.connection.abort()
        conn.session = session
        session.connection = conn
        for frame in session.buffer:
            if frame["s"] > seq:
                conn.send(frame)
        conn.send(session.next_frame("RESUMED", {}))
        session.resumes += 1
        self.resumed_count += 1
        fake.state.changes.notify()
        return True

    def _members_chunk(self, conn: Connection, data: dict[str, Any]) -> None:
        session = conn.session
        assert session is not None
        guild = self.fake.state.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        wanted = {int(u) for u in data.get("user_ids") or []}
        members = [
            m
            for m in guild.members.values()
            if (not wanted or m.user.id in wanted) and m.user.username.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        payload: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [m.to_payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted - {m.user.id for m in members}],
        }
        if data.get("nonce") is not None:
            payload["nonce"] = data["nonce"]
        conn.send(session.next_frame("GUILD_MEMBERS_CHUNK", payload))
