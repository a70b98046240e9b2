"""The REST pipeline: authentication, rate limits, OpenAPI validation, routing and recording.

Route handlers live in :mod:`.routes`; they receive a :class:`RequestContext` and return a
:class:`Reply` or raise :class:`ApiError`. Every request is recorded in
``fake.requests``; every request Discord would reject because the bot got something
wrong is also recorded in ``fake.violations``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from .holds import Dropped
from .limits import FieldError, check_request, errors_tree
from .openapi import PathMatcher
from .state import REQUESTS

if TYPE_CHECKING:
    from .server import FakeDiscord

_log = logging.getLogger(__name__)

API_PREFIX = ("api", "v10")
MESSAGE_SEND = ("POST", "/channels/{channel_id}/messages")


class ApiError(Exception):
    """A Discord-shaped error answer; ``violation`` marks it as the bot's fault."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: list[FieldError] | None = None,
        violation: bool = False,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []
        self.violation = violation
        self.detail = detail

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = errors_tree(self.errors)
        return body

    def describe(self) -> str:
        parts = [f"{self.status} {self.code} {self.message}"]
        parts += [e.describe() for e in self.errors]
        if self.detail:
            parts.append(self.detail)
        return "; ".join(parts)


def invalid_form(errors: list[FieldError]) -> ApiError:
    return ApiError(400, 50035, "Invalid Form Body", errors=errors, violation=True)


@dataclass
class Reply:
    """A successful answer."""

    status: int = 200
    body: Any = None


@dataclass
class UploadedFile:
    """A ``files[n]`` part of a multipart request."""

    field: str
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class RequestContext:
    """What a route handler needs to know about a request."""

    method: str
    path: str
    template: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    files: list[UploadedFile] = field(default_factory=list)

    def param_int(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise ApiError(404, 0, "404: Not Found") from None

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true")


@dataclass
class RecordedRequest:
    """One request the bot made. Iterating gives ``(method, path, status, json)``."""

    method: str
    path: str
    status: int
    json: Any
    route: str | None = None
    at: float = 0.0
    query: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.path, self.status, self.json))


Handler = Callable[[RequestContext], Awaitable[Reply]]


class RestApi:
    """Routes and the request pipeline for ``/api/v10``."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.handlers: dict[tuple[str, str], Handler] = {}
        self._matcher = PathMatcher([])

    def add(self, method: str, template: str, handler: Handler) -> None:
        self.handlers[(method, template)] = handler
        self._matcher = PathMatcher({t for _, t in self.handlers})

    async def handle(self, request: web.Request) -> web.Response:
        fake = self.fake
        started = time.monotonic()
        raw_segments = request.rel_url.raw_path.strip("/").split("/")
        segments = [unquote(s) for s in raw_segments[len(API_PREFIX) :]]
        path = "/" + "/".join(segments)
        method = request.method.upper()
        query = dict(request.query)
        hit = self._matcher.match(segments)
        template = hit[0] if hit and (method, hit[0]) in self.handlers else None
        params = hit[1] if hit else {}
        headers: dict[str, str] = {"Via": "1.1 google"}
        record = RecordedRequest(method, path, 0, None, route=template, at=started, query=query)
        try:
            reply = await self._pipeline(request, method, path, segments, template, params, query, headers, record)
        except Dropped:
            return self._finish(params, record, 503, {"message": "dropped by a test hold", "code": 0}, headers)
        except ApiError as err:
            if err.violation:
                fake.violation(f"{method} {path}: {err.describe()}")
            return self._finish(params, record, err.status, err.body(), headers)
        except Exception as exc:
            # A bug in the fake, not the bot. Answer 400 (discord.py retries 5xx for ~25 s) and
            # make the failure loud through the violations list.
            _log.exception("fake Discord failed on %s %s", method, path)
            fake.violation(f"FAKE DISCORD BUG on {method} {path}: {exc!r}")
            return self._finish(
                params, record, 400, {"message": f"fake Discord internal error: {exc!r}", "code": 0}, headers
            )
        return self._finish(params, record, reply.status, reply.body, headers)

    async def _pipeline(
        self,
        request: web.Request,
        method: str,
        path: str,
        segments: list[str],
        template: str | None,
        params: dict[str, str],
        query: dict[str, str],
        headers: dict[str, str],
        record: RecordedRequest,
    ) -> Reply:
        fake = self.fake
        token_route = template is not None and template.startswith(("/interactions/", "/webhooks/"))
        if not token_route and request.headers.get("Authorization") != f"Bot {fake.token}":
            raise ApiError(401, 0, "401: Unauthorized")
        if not token_route:
            verdict = fake.limiter.check_global()
            if verdict is not None:
                headers.update(verdict.headers)
                raise _RateLimited(verdict.body())
        body, files = await self._read_body(request)
        record.json = body
        record.files = [f.filename for f in files]
        if template is None:
            known = fake.checker.find(method, segments) if fake.validate else None
            why = "not implemented by the fake" if known else "not a Discord API route"
            raise ApiError(404, 0, "404: Not Found", violation=True, detail=f"unknown route ({why})")
        if token_route:
            headers.update(
                fake.limiter.webhook_headers(
                    f"{method} {template}:{params.get('webhook_id') or params.get('interaction_id')}"
                )
            )
        else:
            major = "+".join(params[k] for k in ("channel_id", "guild_id") if k in params)
            verdict = fake.limiter.check_route(
                f"{method} {template}", major, channel_send=(method, template) == MESSAGE_SEND
            )
            headers.update(verdict.headers)
            if verdict.limited:
                raise _RateLimited(verdict.body())
        if body is not None:
            errors = check_request(method, template, body)
            if fake.validate and fake.checker.find(method, segments):
                seen = {(e.path, e.message) for e in errors}
                errors += [
                    e for e in fake.checker.request_errors(method, template, body) if (e.path, e.message) not in seen
                ]
            if errors:
                raise invalid_form(errors)
        ctx = RequestContext(method, path, template, params, query, body, files)
        await fake.holds.checkpoint("before", method, template)
        reply = await self.handlers[(method, template)](ctx)
        await fake.holds.checkpoint("after", method, template)
        return reply

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            return await self._read_multipart(request)
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.", violation=True) from None

    async def _read_multipart(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        reader = await request.multipart()
        body: Any = None
        files: list[UploadedFile] = []
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            data = await part.read(decode=True)
            if name == "payload_json":
                try:
                    body = json.loads(data)
                except ValueError:
                    raise ApiError(400, 50109, "The request body contains invalid JSON.", violation=True) from None
            elif part.filename is not None:
                ctype = part.headers.get("Content-Type")
                if len(data) > self.fake.attachment_limit:
                    raise ApiError(413, 40005, "Request entity too large", violation=True)
                files.append(UploadedFile(name, part.filename, bytes(data), ctype))
        return body, files

    def _finish(
        self, params: dict[str, str], record: RecordedRequest, status: int, body: Any, headers: dict[str, str]
    ) -> web.Response:
        fake = self.fake
        record.status = status
        record.headers = dict(headers)
        fake.requests.append(record)
        if fake.validate_responses and record.route and 200 <= status < 300 and body is not None:
            problems = fake.checker.response_errors(record.method, record.route, status, body)
            for problem in problems:
                fake.response_problems.append(f"{record.method} {record.route} -> {status}: {problem.describe()}")
        # The request is recorded: that wakes the waiters on everything (``wait_for_request``). The
        # handler notified its own changes; the channel it named is woken again in case it changed
        # something there without saying so (a reaction, typing).
        channel = params.get("channel_id", "")
        fake.state.changes.notify(REQUESTS, *([int(channel)] if channel.isdigit() else []))
        if status == 204 or body is None:
            return web.Response(status=204 if status < 300 else status, headers=headers)
        # discord.py parses JSON only if Content-Type is exactly "application/json" (no charset),
        # as Discord sends it.
        headers["Content-Type"] = "application/json"
        return web.Response(body=_dumps(body).encode(), status=status, headers=headers)


class _RateLimited(ApiError):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(429, 0, body["message"])
        self._body = body

    def body(self) -> dict[str, Any]:
        return self._body


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))


__all__ = [
    "ApiError",
    "RecordedRequest",
    "Reply",
    "RequestContext",
    "RestApi",
    "UploadedFile",
    "invalid_form",
]
