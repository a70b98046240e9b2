"""Checks requests (and, optionally, the fake's own answers) against Discord's OpenAPI file.

The description (``openapi/openapi.json``, from discord/discord-api-spec, MIT) is loaded
once per process; a validator is compiled lazily per operation and cached. OpenAPI 3.1
schemas are JSON Schema 2020-12, so ``jsonschema`` validates them directly with ``$ref``s
resolved through a ``referencing`` registry. Without ``jsonschema`` installed every check
passes and :data:`AVAILABLE` is false.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .limits import FieldError

_log = logging.getLogger(__name__)

SPEC_PATH = Path(__file__).parent / "openapi" / "openapi.json"
_SPEC_URI = "urn:discord-api-spec:openapi.json"
METHODS = ("get", "put", "post", "patch", "delete")

try:
    import jsonschema
    from jsonschema.exceptions import ValidationError
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError:  # pragma: no cover - exercised only where jsonschema is absent
    AVAILABLE = False
else:
    AVAILABLE = True


class PathMatcher:
    """Matches concrete paths to templates like ``/channels/{channel_id}/messages``.

    A template whose literal segments match wins over one that has a parameter in the
    same place, so ``/users/@me`` beats ``/users/{user_id}``.
    """

    def __init__(self, templates: Iterable[str]) -> None:
        self._templates = [(t, t.strip("/").split("/")) for t in templates]

    def match(self, segments: list[str]) -> tuple[str, dict[str, str]] | None:
        best: tuple[tuple[bool, ...], str, dict[str, str]] | None = None
        for template, parts in self._templates:
            if len(parts) != len(segments):
                continue
            params: dict[str, str] = {}
            literal: list[bool] = []
            for part, seg in zip(parts, segments, strict=True):
                if part.startswith("{") and part.endswith("}"):
                    params[part[1:-1]] = seg
                    literal.append(False)
                elif part == seg:
                    literal.append(True)
                else:
                    break
            else:
                score = tuple(literal)
                if best is None or score > best[0]:
                    best = (score, template, params)
        return None if best is None else (best[1], best[2])


@functools.lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    """The parsed OpenAPI document (read from disk once per process).

    One leniency is applied: the file types snowflakes as strings only, but Discord
    accepts them as JSON integers too, and discord.py sends several that way (for
    example ``recipient_id`` when opening a DM).
    """
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec = json.load(fh)
    snowflake = spec["components"]["schemas"]["SnowflakeType"]
    spec["components"]["schemas"]["SnowflakeType"] = {
        "anyOf": [snowflake, {"type": "integer", "minimum": 0, "maximum": 2**64 - 1}]
    }
    return spec


def _pointer(*parts: str) -> str:
    escaped = [p.replace("~", "~0").replace("/", "~1") for p in parts]
    return "/" + "/".join(quote(p, safe="~") for p in escaped)


class OpenAPIChecker:
    """Finds an operation by method and path and validates bodies against its schemas."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.matcher = PathMatcher(spec["paths"].keys())
        self._validators: dict[tuple[str, ...], Any] = {}
        self._registry: Any = None

    def find(self, method: str, segments: list[str]) -> tuple[str, dict[str, Any]] | None:
        """The path template and operation object for a request, or ``None`` if Discord has none."""
        hit = self.matcher.match(segments)
        if hit is None:
            return None
        template, _ = hit
        operation = self.spec["paths"][template].get(method.lower())
        if operation is None:
            return None
        return template, operation

    def _validator(self, key: tuple[str, ...], pointer: str) -> Any:
        validator = self._validators.get(key)
        if validator is None:
            if self._registry is None:
                resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
                self._registry = Registry().with_resource(_SPEC_URI, resource)
            validator = jsonschema.Draft202012Validator({"$ref": f"{_SPEC_URI}#{pointer}"}, registry=self._registry)
            self._validators[key] = validator
        return validator

    def request_errors(self, method: str, template: str, body: Any) -> list[FieldError]:
        """Why Discord would reject ``body`` for this operation (empty when it is valid)."""
        if not AVAILABLE:
            return []
        operation = self.spec["paths"][template][method.lower()]
        content = (operation.get("requestBody") or {}).get("content") or {}
        if "application/json" not in content:
            return []
        pointer = _pointer("paths", template, method.lower(), "requestBody", "content", "application/json", "schema")
        validator = self._validator(("req", method, template), pointer)
        return _field_errors(validator.iter_errors(body))

    def response_errors(self, method: str, template: str, status: int, body: Any) -> list[FieldError]:
        """Where the fake's own answer differs from the documented response schema."""
        if not AVAILABLE:
            return []
        responses = self.spec["paths"][template][method.lower()].get("responses") or {}
        response = responses.get(str(status))
        if not response or "$ref" in response:
            return []
        if "application/json" not in (response.get("content") or {}):
            return []
        pointer = _pointer(
            "paths", template, method.lower(), "responses", str(status), "content", "application/json", "schema"
        )
        validator = self._validator(("resp", method, template, str(status)), pointer)
        return _field_errors(validator.iter_errors(body))


def _field_errors(errors: Iterable[Any]) -> list[FieldError]:
    found: list[FieldError] = []
    for error in errors:
        found.extend(_explain(error))
    unique: dict[tuple[Any, ...], FieldError] = {(e.path, e.message): e for e in found}
    return list(unique.values())


def _explain(error: ValidationError) -> list[FieldError]:
    """Turn a jsonschema error into field errors, descending into the most plausible union branch."""
    if error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)

        def mismatched_type(errs: list[ValidationError]) -> bool:
            # A branch whose "type" discriminator (or JSON type) doesn't fit is not the one meant.
            return any(
                (list(e.relative_path) == ["type"])
                or (not e.relative_path and e.validator in ("type", "const", "enum"))
                for e in errs
            )

        plausible = [errs for errs in branches.values() if not mismatched_type(errs)] or list(branches.values())
        chosen = min(plausible, key=lambda errs: (len(errs), -max(len(e.path) for e in errs)))
        explained: list[FieldError] = []
        for sub in chosen:
            explained.extend(_explain(sub))
        return explained
    code = {
        "maxLength": "BASE_TYPE_MAX_LENGTH",
        "minLength": "BASE_TYPE_MIN_LENGTH",
        "maxItems": "BASE_TYPE_MAX_LENGTH",
        "minItems": "BASE_TYPE_MIN_LENGTH",
        "required": "BASE_TYPE_REQUIRED",
        "type": "BASE_TYPE_BAD_TYPE",
        "enum": "BASE_TYPE_CHOICES",
        "const": "BASE_TYPE_CHOICES",
        "maximum": "NUMBER_TYPE_MAX",
        "minimum": "NUMBER_TYPE_MIN",
        "pattern": "STRING_TYPE_REGEX",
    }.get(str(error.validator), "BASE_TYPE_INVALID")
    return [FieldError(tuple(error.absolute_path), code, _discord_wording(error))]


def _discord_wording(error: ValidationError) -> str:
    """Discord's phrasing for the common cases, jsonschema's (shortened) for the rest."""
    limit = error.validator_value
    wording = {
        "maxLength": f"Must be {limit} or fewer in length.",
        "maxItems": f"Must be {limit} or fewer in length.",
        "minLength": f"Must be {limit} or more in length.",
        "minItems": f"Must be {limit} or more in length.",
        "maximum": f"int value should be less than or equal to {limit}.",
        "minimum": f"int value should be greater than or equal to {limit}.",
    }.get(str(error.validator))
    if wording is not None:
        return wording
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


@functools.lru_cache(maxsize=1)
def checker() -> OpenAPIChecker:
    """The process-wide checker (spec parsed once, validators compiled on first use)."""
    if not AVAILABLE:
        _log.warning("jsonschema is not importable: OpenAPI request validation is off")
    return OpenAPIChecker(load_spec())
