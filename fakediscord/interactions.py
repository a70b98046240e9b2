"""Interactions: the payload the bot receives, and what happens when it responds.

A :class:`FakeInteraction` is both the server's record of an interaction and the handle a
test holds: ``await h.response()``, ``h.message``, ``h.followups``, ``h.modal``,
``await h.submit_modal({...})``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import components as comp
from .models import FakeChannel, FakeGuild, FakeMessage, MessageFlag, Perm, User
from .snowflake import utcnow

if TYPE_CHECKING:
    from .harness import FakeUser
    from .server import FakeDiscord

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class InteractionType:
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType:
    PONG = 1
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class Context:
    GUILD = 0
    BOT_DM = 1
    PRIVATE_CHANNEL = 2


ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    InteractionType.APPLICATION_COMMAND: frozenset({4, 5, 9}),
    InteractionType.MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9}),
    InteractionType.AUTOCOMPLETE: frozenset({8}),
    InteractionType.MODAL_SUBMIT: frozenset({4, 5, 6, 7}),
}


class InteractionFailed(RuntimeError):
    """The bot did not acknowledge the interaction in time: Discord shows "This interaction failed"."""


@dataclass(eq=False)
class FakeInteraction:
    """One interaction, from INTERACTION_CREATE to its response, edits and follow-ups."""

    fake: FakeDiscord
    id: int
    token: str
    type: int
    user: FakeUser
    channel: FakeChannel
    guild: FakeGuild | None
    context: int
    data: dict[str, Any]
    owners: dict[str, str]
    source_message: FakeMessage | None = None
    command_name: str | None = None
    parent: FakeInteraction | None = None
    created: float = field(default_factory=time.monotonic)
    created_at: datetime = field(default_factory=utcnow)
    response_type: int | None = None
    response_data: dict[str, Any] | None = None
    acked_at: float | None = None
    message: FakeMessage | None = None
    followups: list[FakeMessage] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None

    # -- status ---------------------------------------------------------------------------------

    @property
    def deadline(self) -> float:
        """When (``time.monotonic()``) the acknowledgement window closes."""
        return self.created + self.fake.ack_timeout

    @property
    def acknowledged(self) -> bool:
        return self.response_type is not None

    @property
    def failed(self) -> bool:
        """True once the ack window has passed without a response."""
        return self.response_type is None and time.monotonic() > self.deadline

    @property
    def token_expired(self) -> bool:
        return time.monotonic() > self.created + self.fake.followup_ttl

    @property
    def ephemeral(self) -> bool:
        if self.message is not None and self.message is not self.source_message:
            return self.message.ephemeral
        flags = (self.response_data or {}).get("flags") or 0
        return bool(flags & MessageFlag.EPHEMERAL)

    # -- waiting (test side) -----------------------------------------------------------------

    async def response(self, timeout: float = 5.0) -> tuple[int, dict[str, Any] | None]:
        """Wait for the bot's callback and return ``(type, data)``.

        Raises :class:`InteractionFailed` when the ack window closes first, ``TimeoutError``
        when ``timeout`` runs out before either.
        """
        remaining_window = self.deadline - time.monotonic()
        wait = min(timeout, max(remaining_window, 0.0) + 0.01)
        try:
            await self.fake.state.changes.wait_until(lambda: self.acknowledged, wait, keys=(self.id,))
        except TimeoutError:
            if self.failed:
                raise InteractionFailed(
                    f"interaction {self.id} was not acknowledged within {self.fake.ack_timeout}s"
                ) from None
            raise
        assert self.response_type is not None
        return self.response_type, self.response_data

    async def wait_message(self, timeout: float = 5.0) -> FakeMessage:
        """Wait until the response shows something (covers defer followed by an edit or follow-up)."""
        await self.response(timeout)

        def shown() -> FakeMessage | None:
            message = self.message
            if message is not None and message.has_visible_content:
                return message
            return None

        return await self.fake.state.changes.wait_until(shown, timeout, keys=self._keys())

    async def wait_followup(self, count: int = 1, timeout: float = 5.0) -> FakeMessage:
        """Wait until at least ``count`` follow-ups exist and return the ``count``-th."""
        await self.fake.state.changes.wait_until(lambda: len(self.followups) >= count, timeout, keys=self._keys())
        return self.followups[count - 1]

    def _keys(self) -> tuple[int, ...]:
        """The change-feed keys of what a wait on this interaction reads: it, its channel, its message's."""
        keys = {self.id, self.channel.id}
        if self.message is not None:
            keys.add(self.message.channel.id)
        return tuple(keys)

    async def submit_modal(self, values: dict[str, Any], *, wait: bool = True) -> FakeInteraction:
        """Submit the modal this interaction answered with; keys are input labels or custom_ids."""
        if self.modal is None:
            raise RuntimeError("the bot did not answer this interaction with a modal")
        components = build_modal_submission(self.modal, values)
        return await self.fake.dispatch_interaction(
            user=self.user,
            itype=InteractionType.MODAL_SUBMIT,
            channel=self.channel,
            guild=self.guild,
            context=self.context,
            owners=self.owners,
            data={"custom_id": self.modal["custom_id"], "components": components},
            source_message=self.source_message,
            parent=self,
            wait=wait,
        )

    # -- payloads ---------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        """The INTERACTION_CREATE payload."""
        fake = self.fake
        payload: dict[str, Any] = {
            "id": str(self.id),
            "application_id": str(fake.application_id),
            "type": self.type,
            "data": self.data,
            "token": self.token,
            "version": 1,
            "locale": self.user.locale,
            "entitlements": [],
            "authorizing_integration_owners": dict(self.owners),
            "context": self.context,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(self.channel.id),
            "channel": self._channel_payload(),
        }
        if self.guild is not None:
            perms = self.guild.permissions_for(self.user.id)
            member = self.guild.members[self.user.id].to_payload()
            member["permissions"] = str(perms)
            payload.update(
                {
                    "guild_id": str(self.guild.id),
                    "guild": {"id": str(self.guild.id), "locale": self.guild.locale, "features": []},
                    "guild_locale": self.guild.locale,
                    "member": member,
                    "app_permissions": str(self.guild.permissions_for(fake.bot_user_id)),
                }
            )
        else:
            payload["user"] = self.user.to_payload()
            payload["app_permissions"] = str(Perm.DM)
        if self.source_message is not None:
            payload["message"] = self.source_message.to_payload(me_id=fake.bot_user_id)
        return payload

    def _channel_payload(self) -> dict[str, Any]:
        channel = self.channel.to_payload()
        if self.guild is not None:
            channel["permissions"] = str(self.guild.permissions_for(self.user.id))
        else:
            channel["permissions"] = str(Perm.DM)
        return channel

    def metadata_payload(self) -> dict[str, Any]:
        """``interaction_metadata`` for messages created in response to this interaction."""
        meta: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "user": self.user.to_payload(),
            "authorizing_integration_owners": dict(self.owners),
        }
        if self.type == InteractionType.APPLICATION_COMMAND and self.command_name:
            meta["name"] = self.command_name
            meta["command_type"] = int(self.data.get("type") or 1)
        if self.source_message is not None and self.type == InteractionType.MESSAGE_COMPONENT:
            meta["interacted_message_id"] = str(self.source_message.id)
        if self.parent is not None and self.type == InteractionType.MODAL_SUBMIT:
            meta["triggering_interaction_metadata"] = self.parent.metadata_payload()
        return meta

    def __repr__(self) -> str:
        return f"<FakeInteraction id={self.id} type={self.type} response_type={self.response_type}>"


def build_modal_submission(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``components`` Discord sends back for a submitted modal.

    Classic modals (action rows of text inputs) come back as action rows; modals built
    from label components come back as labels wrapping the submitted component. Values
    are matched by the input's label (or the enclosing label's text) or by custom_id.
    """
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    for top in modal.get("components") or []:
        ttype = top.get("type")
        if ttype == comp.ACTION_ROW:
            row = {"type": comp.ACTION_ROW, "id": top.get("id"), "components": []}
            for inner in top.get("components") or []:
                row["components"].append(_submitted(inner, inner.get("label"), values, used))
            out.append(row)
        elif ttype == comp.LABEL:
            inner = top.get("component") or {}
            out.append(
                {
                    "type": comp.LABEL,
                    "id": top.get("id"),
                    "component": _submitted(inner, top.get("label"), values, used),
                }
            )
        elif ttype == comp.TEXT_DISPLAY:
            out.append({"type": comp.TEXT_DISPLAY, "id": top.get("id")})
    unknown = set(values) - used
    if unknown:
        raise KeyError(f"modal has no input labelled or with custom_id {sorted(unknown)}")
    return out


def _submitted(component: dict[str, Any], label: str | None, values: dict[str, Any], used: set[str]) -> dict[str, Any]:
    custom_id = component.get("custom_id")
    key = next((k for k in (custom_id, label) if k is not None and k in values), None)
    value = values.get(key) if key is not None else None
    if key is not None:
        used.add(key)
    ctype = component.get("type")
    result: dict[str, Any] = {"type": ctype, "id": component.get("id"), "custom_id": custom_id}
    if ctype == comp.TEXT_INPUT:
        text = "" if value is None else str(value)
        if value is None and component.get("value") is not None:
            text = str(component["value"])
        if component.get("required", True) and not text:
            raise ValueError(f"modal input {label or custom_id!r} is required")
        min_len, max_len = component.get("min_length"), component.get("max_length")
        if text and ((min_len and len(text) < min_len) or (max_len and len(text) > max_len)):
            if min_len and max_len:
                allowed = f"{min_len}-{max_len} characters"
            else:
                allowed = f"at least {min_len} characters" if min_len else f"at most {max_len} characters"
            raise ValueError(f"modal input {label or custom_id!r} must be {allowed}")
        result["value"] = text
    elif ctype in comp.SELECT_TYPES or ctype == comp.CHECKBOX_GROUP:
        chosen = [] if value is None else ([value] if isinstance(value, str) else [str(v) for v in value])
        if component.get("required", True) and not chosen and component.get("min_values", 1) > 0:
            raise ValueError(f"modal select {label or custom_id!r} is required")
        result["values"] = chosen
    elif ctype == comp.RADIO_GROUP:
        result["value"] = None if value is None else str(value)
    elif ctype == comp.CHECKBOX:  # left untouched, a checkbox submits the state it opened with
        result["value"] = bool(value) if value is not None else bool(component.get("default", False))
    else:
        raise NotImplementedError(f"modal component type {ctype} is not supported by the fake")
    return result


def owners_for(
    command_or_none: dict[str, Any] | None, *, context: int, guild: FakeGuild | None, user: User
) -> dict[str, str]:
    """``authorizing_integration_owners`` for an interaction in ``context``."""
    integration_types = (command_or_none or {}).get("integration_types") or [0]
    owners: dict[str, str] = {}
    if context == Context.GUILD and guild is not None and 0 in integration_types:
        owners["0"] = str(guild.id)
    if context == Context.BOT_DM and 0 in integration_types:
        owners["0"] = "0"
    if 1 in integration_types:
        owners["1"] = str(user.id)
    return owners
