"""Discord's own limits on what a bot may send, checked independently of the OpenAPI file.

The OpenAPI description misses several rules Discord enforces (2,000-character content,
the 6,000-character embed total, five action rows, five buttons a row, modal sizes, ...).
Each check returns a list of :class:`FieldError`; :func:`errors_tree` turns them into the
``errors`` object of Discord's 50035 "Invalid Form Body" answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import components as comp
from .models import MessageFlag

Path = tuple[str | int, ...]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
V2_COMPONENTS_MAX = 40
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
MODAL_LABEL_MAX = 45
TEXT_INPUT_MAX = 4000
AUTOCOMPLETE_CHOICES_MAX = 25
COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")


@dataclass(frozen=True)
class FieldError:
    """One rejected field: where it is, Discord's error code, and a message."""

    path: Path
    code: str
    message: str

    def describe(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<body>"
        return f"{where}: {self.message}"


def errors_tree(errors: Sequence[FieldError]) -> dict[str, Any]:
    """Nest errors the way Discord does: ``{"embeds": {"0": {"title": {"_errors": [...]}}}}``."""
    tree: dict[str, Any] = {}
    for error in errors:
        node = tree
        for part in error.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return tree


def _too_long(path: Path, limit: int) -> FieldError:
    return FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _check_len(errors: list[FieldError], value: Any, path: Path, limit: int) -> int:
    if isinstance(value, str):
        if len(value) > limit:
            errors.append(_too_long(path, limit))
        return len(value)
    return 0


def check_message(body: dict[str, Any], prefix: Path = ()) -> list[FieldError]:
    """Content, embed and component limits for a message body (create, edit, webhook, callback)."""
    errors: list[FieldError] = []
    _check_len(errors, body.get("content"), (*prefix, "content"), CONTENT_MAX)
    errors.extend(check_embeds(body.get("embeds"), (*prefix, "embeds")))
    flags = body.get("flags") or 0
    v2 = bool(isinstance(flags, int) and flags & MessageFlag.IS_COMPONENTS_V2)
    errors.extend(check_components(body.get("components"), (*prefix, "components"), v2=v2))
    return errors


def check_embeds(embeds: Any, path: Path) -> list[FieldError]:
    """Embed limits: 10 embeds, per-field lengths, 25 fields, 6,000 characters in total."""
    errors: list[FieldError] = []
    if not isinstance(embeds, list):
        return errors
    if len(embeds) > EMBEDS_MAX:
        errors.append(_too_long(path, EMBEDS_MAX))
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        here = (*path, i)
        total += _check_len(errors, embed.get("title"), (*here, "title"), 256)
        total += _check_len(errors, embed.get("description"), (*here, "description"), 4096)
        footer = embed.get("footer") or {}
        total += _check_len(errors, footer.get("text"), (*here, "footer", "text"), 2048)
        author = embed.get("author") or {}
        total += _check_len(errors, author.get("name"), (*here, "author", "name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.append(_too_long((*here, "fields"), 25))
        for j, fld in enumerate(fields):
            if not isinstance(fld, dict):
                continue
            for key, limit in (("name", 256), ("value", 1024)):
                value = fld.get(key)
                if value is None or value == "":
                    errors.append(FieldError((*here, "fields", j, key), "BASE_TYPE_REQUIRED", "This field is required"))
                total += _check_len(errors, value, (*here, "fields", j, key), limit)
    if total > EMBED_TOTAL_MAX:
        errors.append(
            FieldError(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")
        )
    return errors


def _check_interactive(errors: list[FieldError], c: dict[str, Any], path: Path, seen: set[str]) -> None:
    custom_id = c.get("custom_id")
    if isinstance(custom_id, str):
        _check_len(errors, custom_id, (*path, "custom_id"), CUSTOM_ID_MAX)
        if custom_id in seen:
            errors.append(
                FieldError(
                    (*path, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
                )
            )
        seen.add(custom_id)
    ctype = c.get("type")
    if ctype == comp.BUTTON:
        _check_len(errors, c.get("label"), (*path, "label"), BUTTON_LABEL_MAX)
        style = c.get("style")
        if style == comp.LINK_STYLE:
            if not c.get("url"):
                errors.append(FieldError((*path, "url"), "BASE_TYPE_REQUIRED", "This field is required"))
        elif style != comp.PREMIUM_STYLE and not custom_id:
            errors.append(FieldError((*path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"))
    elif ctype in comp.SELECT_TYPES:
        _check_len(errors, c.get("placeholder"), (*path, "placeholder"), 150)
        options = c.get("options")
        if ctype == comp.STRING_SELECT:
            if not options:
                errors.append(FieldError((*path, "options"), "BASE_TYPE_REQUIRED", "This field is required"))
            elif len(options) > SELECT_OPTIONS_MAX:
                errors.append(_too_long((*path, "options"), SELECT_OPTIONS_MAX))
            for k, option in enumerate(options or []):
                if isinstance(option, dict):
                    _check_len(errors, option.get("label"), (*path, "options", k, "label"), 100)
                    _check_len(errors, option.get("value"), (*path, "options", k, "value"), 100)
                    _check_len(errors, option.get("description"), (*path, "options", k, "description"), 100)
        for key in ("min_values", "max_values"):
            value = c.get(key)
            if isinstance(value, int) and not 0 <= value <= SELECT_OPTIONS_MAX:
                errors.append(
                    FieldError(
                        (*path, key),
                        "NUMBER_TYPE_MAX",
                        f"int value should be less than or equal to {SELECT_OPTIONS_MAX}.",
                    )
                )


def check_components(components: Any, path: Path, *, v2: bool = False) -> list[FieldError]:
    """Component limits: 5 action rows, 5 buttons or one select a row, custom_id and label lengths."""
    errors: list[FieldError] = []
    if not isinstance(components, list):
        return errors
    seen: set[str] = set()
    if v2:
        total = sum(1 for _ in comp.walk(components))
        if total > V2_COMPONENTS_MAX:
            errors.append(_too_long(path, V2_COMPONENTS_MAX))
    elif len(components) > ACTION_ROWS_MAX:
        errors.append(_too_long(path, ACTION_ROWS_MAX))
    for i, row in enumerate(components):
        if not isinstance(row, dict):
            continue
        here = (*path, i)
        if not v2 and row.get("type") != comp.ACTION_ROW:
            errors.append(
                FieldError(
                    (*here, "type"), "COMPONENT_TYPE_INVALID", "Components v2 layout requires the IS_COMPONENTS_V2 flag"
                )
            )
            continue
        _check_tree(errors, row, here, seen)
    return errors


def _check_tree(errors: list[FieldError], c: dict[str, Any], path: Path, seen: set[str]) -> None:
    if c.get("type") == comp.ACTION_ROW:
        kids = c.get("components") or []
        if not kids:
            errors.append(FieldError((*path, "components"), "BASE_TYPE_REQUIRED", "This field is required"))
        n_buttons = sum(1 for k in kids if isinstance(k, dict) and k.get("type") == comp.BUTTON)
        n_selects = sum(1 for k in kids if isinstance(k, dict) and k.get("type") in comp.SELECT_TYPES)
        if n_buttons > ROW_BUTTONS_MAX or n_selects > 1 or (n_selects and n_buttons):
            errors.append(
                FieldError(
                    (*path, "components"),
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
            )
        for j, kid in enumerate(kids):
            if isinstance(kid, dict):
                _check_interactive(errors, kid, (*path, "components", j), seen)
        return
    _check_interactive(errors, c, path, seen)
    for j, kid in enumerate(c.get("components") or []):
        if isinstance(kid, dict):
            _check_tree(errors, kid, (*path, "components", j), seen)
    if isinstance(c.get("accessory"), dict):
        _check_interactive(errors, c["accessory"], (*path, "accessory"), seen)


def check_modal(data: Any, prefix: Path = ("data",)) -> list[FieldError]:
    """Modal limits: title 45, at most 5 components, labels 45, text input lengths 4,000."""
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        return errors
    title = data.get("title")
    if not title:
        errors.append(FieldError((*prefix, "title"), "BASE_TYPE_REQUIRED", "This field is required"))
    _check_len(errors, title, (*prefix, "title"), MODAL_TITLE_MAX)
    _check_len(errors, data.get("custom_id"), (*prefix, "custom_id"), CUSTOM_ID_MAX)
    components = data.get("components") or []
    if not components:
        errors.append(FieldError((*prefix, "components"), "BASE_TYPE_REQUIRED", "This field is required"))
    if len(components) > MODAL_COMPONENTS_MAX:
        errors.append(_too_long((*prefix, "components"), MODAL_COMPONENTS_MAX))
    seen: set[str] = set()
    for i, top in enumerate(components):
        if not isinstance(top, dict):
            continue
        here: Path = (*prefix, "components", i)
        if top.get("type") == comp.LABEL:
            _check_len(errors, top.get("label"), (*here, "label"), MODAL_LABEL_MAX)
            _check_len(errors, top.get("description"), (*here, "description"), 100)
            inner = top.get("component")
            if isinstance(inner, dict):
                _check_modal_input(errors, inner, (*here, "component"), seen)
        elif top.get("type") == comp.ACTION_ROW:
            for j, inner in enumerate(top.get("components") or []):
                if isinstance(inner, dict):
                    _check_modal_input(errors, inner, (*here, "components", j), seen)
    return errors


def _check_modal_input(errors: list[FieldError], c: dict[str, Any], path: Path, seen: set[str]) -> None:
    if c.get("type") == comp.TEXT_INPUT:
        _check_len(errors, c.get("label"), (*path, "label"), MODAL_LABEL_MAX)
        _check_len(errors, c.get("placeholder"), (*path, "placeholder"), 100)
        _check_len(errors, c.get("value"), (*path, "value"), TEXT_INPUT_MAX)
        for key in ("min_length", "max_length"):
            value = c.get(key)
            if isinstance(value, int) and value > TEXT_INPUT_MAX:
                errors.append(
                    FieldError(
                        (*path, key), "NUMBER_TYPE_MAX", f"int value should be less than or equal to {TEXT_INPUT_MAX}."
                    )
                )
    _check_interactive(errors, c, path, seen)


def check_autocomplete(data: Any, prefix: Path = ("data",)) -> list[FieldError]:
    """Autocomplete result limits: at most 25 choices, names and string values 1-100 characters."""
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        return errors
    choices = data.get("choices") or []
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        errors.append(_too_long((*prefix, "choices"), AUTOCOMPLETE_CHOICES_MAX))
    for i, choice in enumerate(choices):
        if isinstance(choice, dict):
            _check_len(errors, choice.get("name"), (*prefix, "choices", i, "name"), 100)
            _check_len(errors, choice.get("value"), (*prefix, "choices", i, "value"), 100)
    return errors


def check_commands(commands: Any) -> list[FieldError]:
    """Application command rules the OpenAPI file can't express (names, option order, duplicates)."""
    errors: list[FieldError] = []
    if not isinstance(commands, list):
        return errors
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        if not isinstance(command, dict):
            continue
        ctype = command.get("type", 1) or 1
        name = command.get("name", "")
        key = (ctype, name)
        if key in seen:
            errors.append(
                FieldError(
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique ({name})",
                )
            )
        seen.add(key)
        if ctype == 1:
            errors.extend(_check_chat_input(command, (i,)))
        elif ctype in (2, 3):  # user and message commands: a name people read, no description, no options
            if not isinstance(name, str) or not 1 <= len(name) <= 32:
                errors.append(FieldError((i, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."))
            if command.get("description") or command.get("options"):
                errors.append(
                    FieldError(
                        (i, "description"),
                        "APPLICATION_COMMAND_INVALID_CONTEXT_MENU",
                        "Context menu commands cannot have a description or options",
                    )
                )
    return errors


def _check_chat_input(node: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    name = node.get("name", "")
    if not isinstance(name, str) or not COMMAND_NAME_RE.match(name) or name != name.lower():
        errors.append(
            FieldError((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid ({name!r})")
        )
    description = node.get("description", "")
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        errors.append(
            FieldError((*path, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        )
    options = node.get("options") or []
    if len(options) > 25:
        errors.append(_too_long((*path, "options"), 25))
    optional_seen = False
    names: set[str] = set()
    for j, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        here = (*path, "options", j)
        if option.get("name") in names:
            errors.append(
                FieldError(
                    (*here, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"
                )
            )
        names.add(option.get("name", ""))
        if option.get("type") in (1, 2):
            errors.extend(_check_chat_input(option, here))
            continue
        if option.get("required"):
            if optional_seen:
                errors.append(
                    FieldError(
                        (*here, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            optional_seen = True
        errors.extend(_check_chat_input_option(option, here))
    return errors


def _check_chat_input_option(option: dict[str, Any], path: Path) -> list[FieldError]:
    errors: list[FieldError] = []
    name = option.get("name", "")
    if not isinstance(name, str) or not COMMAND_NAME_RE.match(name) or name != name.lower():
        errors.append(
            FieldError((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", f"Option name is invalid ({name!r})")
        )
    description = option.get("description", "")
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        errors.append(
            FieldError((*path, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        )
    choices = option.get("choices") or []
    if len(choices) > 25:
        errors.append(_too_long((*path, "choices"), 25))
    if choices and option.get("autocomplete"):
        errors.append(
            FieldError(
                (*path, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )
        )
    return errors


_MESSAGE_ROUTES = frozenset(
    {
        ("POST", "/channels/{channel_id}/messages"),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
    }
)


def check_request(method: str, template: str, body: Any) -> list[FieldError]:
    """Every limit that applies to a request body, picked by route (and callback type)."""
    if (method, template) in _MESSAGE_ROUTES:
        return check_message(body) if isinstance(body, dict) else []
    if method == "POST" and template == "/interactions/{interaction_id}/{interaction_token}/callback":
        if not isinstance(body, dict):
            return []
        ctype, data = body.get("type"), body.get("data")
        if ctype in (4, 7):
            return check_message(data or {}, ("data",))
        if ctype == 8:
            return check_autocomplete(data)
        if ctype == 9:
            return check_modal(data)
        return []
    if template.endswith("/commands"):
        if method == "PUT":
            return check_commands(body) if isinstance(body, list) else []
        if method == "POST":
            return check_commands([body]) if isinstance(body, dict) else []
    return []
