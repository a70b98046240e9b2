"""Interaction callbacks and the interaction webhook routes (follow-ups, @original).

Discord's rules enforced here: an interaction must be acknowledged within
``ack_timeout`` (else 404 10062), only once (else 400 40060), with a callback type that
fits the interaction; follow-ups and @original edits work for ``followup_ttl`` seconds
(then 401 50027).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import components as comp
from .interactions import ALLOWED_CALLBACKS, CallbackType, Context, FakeInteraction, InteractionType
from .limits import FieldError
from .models import FakeMessage, MessageFlag
from .rest import ApiError, Reply, RequestContext, RestApi, invalid_form
from .routes import MessageBuilder, is_empty

if TYPE_CHECKING:
    from .server import FakeDiscord


class InteractionRoutes:
    """Handlers for ``/interactions/{id}/{token}/callback`` and ``/webhooks/{app_id}/{token}/...``."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.state = fake.state
        self.builder = MessageBuilder(fake)

    def register(self, api: RestApi) -> None:
        hook = "/webhooks/{webhook_id}/{webhook_token}"
        api.add("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self.callback)
        api.add("POST", hook, self.followup)
        for target in ("@original", "{message_id}"):
            api.add("GET", f"{hook}/messages/{target}", self.get_message)
            api.add("PATCH", f"{hook}/messages/{target}", self.edit_message)
            api.add("DELETE", f"{hook}/messages/{target}", self.delete_message)

    # -- callback ---------------------------------------------------------------------------------

    async def callback(self, ctx: RequestContext) -> Reply:
        fake = self.fake
        now = time.monotonic()
        inter = self.state.interactions.get(ctx.param_int("interaction_id"))
        if inter is None or inter.token != ctx.params["interaction_token"]:
            raise ApiError(404, 10062, "Unknown interaction", violation=True, detail="no such interaction")
        if inter.acknowledged:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.", violation=True)
        if now > inter.deadline:
            late = now - inter.created
            raise ApiError(
                404,
                10062,
                "Unknown interaction",
                violation=True,
                detail=f"acknowledged {late:.2f}s after creation (limit {fake.ack_timeout}s)",
            )
        body = ctx.body if isinstance(ctx.body, dict) else {}
        ctype = body.get("type")
        allowed = set(ALLOWED_CALLBACKS.get(inter.type, frozenset()))
        if inter.source_message is None:
            allowed -= {CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE}
        if ctype not in allowed:
            raise invalid_form(
                [
                    FieldError(
                        ("type",),
                        "INTERACTION_RESPONSE_TYPE_INVALID",
                        f"Callback type {ctype} is not valid for interaction type {inter.type}",
                    )
                ]
            )
        data = body.get("data") if isinstance(body.get("data"), dict) else None
        self._apply(inter, ctype, data or {}, ctx)
        inter.response_type = ctype
        inter.response_data = data
        inter.acked_at = now
        self.state.changes.notify(inter.id, inter.channel.id)
        if not ctx.flag("with_response"):
            return Reply(204)
        return Reply(200, self._callback_response(inter, ctype))

    def _apply(self, inter: FakeInteraction, ctype: int, data: dict[str, Any], ctx: RequestContext) -> None:
        if ctype == CallbackType.CHANNEL_MESSAGE:
            fields = self.builder.changes(data, ctx.files, inter.channel, ephemeral=_is_ephemeral(data))
            if is_empty(fields):
                raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
            inter.message = self._post(inter, fields, data.get("flags") or 0)
        elif ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE:
            inter.message = self._post(inter, {}, (data.get("flags") or 0) | MessageFlag.LOADING)
        elif ctype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            inter.message = inter.source_message
        elif ctype == CallbackType.UPDATE_MESSAGE:
            source = inter.source_message
            assert source is not None
            fields = self.builder.changes(data, ctx.files, inter.channel, existing=source)
            fields.pop("flags", None)
            self.state.edit_message(source, fields)
            inter.message = source
        elif ctype == CallbackType.AUTOCOMPLETE_RESULT:
            inter.choices = list(data.get("choices") or [])
        elif ctype == CallbackType.MODAL:
            modal = comp.json_copy(data)
            comp.assign_ids(modal.get("components"))
            inter.modal = modal

    def _post(self, inter: FakeInteraction, fields: dict[str, Any], flags: int) -> FakeMessage:
        ephemeral = bool(flags & MessageFlag.EPHEMERAL)
        keep = (
            MessageFlag.EPHEMERAL
            | MessageFlag.LOADING
            | MessageFlag.SUPPRESS_NOTIFICATIONS
            | MessageFlag.IS_COMPONENTS_V2
        )
        return self.state.post_message(
            inter.channel,
            self.fake.bot_user,
            content=fields.get("content", ""),
            embeds=fields.get("embeds"),
            components=fields.get("components"),
            attachments=fields.get("attachment_objs"),
            flags=flags & keep,
            mtype=20 if inter.type == InteractionType.APPLICATION_COMMAND else 0,
            visible_to=inter.user.id if ephemeral else None,
            webhook_id=self.fake.application_id,
            interaction=inter,
            silent=inter.context == Context.PRIVATE_CHANNEL,
        )

    def _callback_response(self, inter: FakeInteraction, ctype: int) -> dict[str, Any]:
        info: dict[str, Any] = {"id": str(inter.id), "type": inter.type}
        message = inter.message
        if message is not None and ctype in (4, 5, 7):
            info["response_message_id"] = str(message.id)
            info["response_message_loading"] = ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE
            info["response_message_ephemeral"] = message.ephemeral
        payload: dict[str, Any] = {"interaction": info}
        if message is not None and ctype in (CallbackType.CHANNEL_MESSAGE, CallbackType.UPDATE_MESSAGE):
            payload["resource"] = {"type": ctype, "message": message.to_payload(me_id=self.fake.bot_user_id)}
        return payload

    # -- webhook routes -----------------------------------------------------------------------------

    def _interaction(self, ctx: RequestContext) -> FakeInteraction:
        if ctx.param_int("webhook_id") != self.fake.application_id:
            raise ApiError(404, 10015, "Unknown Webhook", violation=True, detail="only interaction webhooks exist here")
        inter = self.state.interactions_by_token.get(ctx.params["webhook_token"])
        if inter is None:
            raise ApiError(404, 10015, "Unknown Webhook", violation=True)
        if inter.token_expired:
            raise ApiError(401, 50027, "Invalid Webhook Token", violation=True, detail="interaction token expired")
        if not inter.acknowledged:
            raise ApiError(404, 10015, "Unknown Webhook", violation=True, detail="interaction was never acknowledged")
        return inter

    def _target(self, inter: FakeInteraction, ctx: RequestContext) -> FakeMessage:
        if "message_id" not in ctx.params:
            if inter.message is None:
                raise ApiError(404, 10008, "Unknown Message", violation=True, detail="the response has no message")
            return inter.message
        mid = ctx.param_int("message_id")
        candidates = [m for m in [inter.message, *inter.followups] if m is not None]
        target = next((m for m in candidates if m.id == mid), None)
        if target is None or target.deleted:
            raise ApiError(404, 10008, "Unknown Message", violation=True)
        return target

    async def followup(self, ctx: RequestContext) -> Reply:
        inter = self._interaction(ctx)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        original = inter.message
        if original is not None and original.loading and not inter.followups and original is not inter.source_message:
            # Discord: the first follow-up after a "thinking" defer replaces the loading message.
            fields = self.builder.changes(body, ctx.files, inter.channel, existing=original)
            fields.pop("flags", None)
            fields["flags"] = original.flags & ~MessageFlag.LOADING
            self.state.edit_message(original, fields)
            message = original
        else:
            flags = body.get("flags") or 0
            fields = self.builder.changes(body, ctx.files, inter.channel, ephemeral=_is_ephemeral(body))
            if is_empty(fields):
                raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
            message = self._post(inter, fields, flags)
        inter.followups.append(message)
        self.state.changes.notify(inter.id, inter.channel.id)
        if not ctx.flag("wait"):
            return Reply(204)
        return Reply(200, message.to_payload(me_id=self.fake.bot_user_id))

    async def get_message(self, ctx: RequestContext) -> Reply:
        inter = self._interaction(ctx)
        return Reply(200, self._target(inter, ctx).to_payload(me_id=self.fake.bot_user_id))

    async def edit_message(self, ctx: RequestContext) -> Reply:
        inter = self._interaction(ctx)
        target = self._target(inter, ctx)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        fields = self.builder.changes(body, ctx.files, inter.channel, existing=target, ephemeral=target.ephemeral)
        fields.pop("flags", None)
        if target.loading:
            fields["flags"] = target.flags & ~MessageFlag.LOADING
        merged = {
            "content": fields.get("content", target.content),
            "embeds": fields.get("embeds", target.embeds),
            "components": fields.get("components", target.components),
            "attachment_objs": fields.get("attachment_objs", target.attachment_objs),
        }
        if is_empty(merged):
            raise ApiError(400, 50006, "Cannot send an empty message", violation=True)
        self.state.edit_message(target, fields)
        return Reply(200, target.to_payload(me_id=self.fake.bot_user_id))

    async def delete_message(self, ctx: RequestContext) -> Reply:
        inter = self._interaction(ctx)
        target = self._target(inter, ctx)
        self.state.delete_message(target)
        return Reply(204)


def _is_ephemeral(data: dict[str, Any]) -> bool:
    return bool((data.get("flags") or 0) & MessageFlag.EPHEMERAL)


__all__ = ["InteractionRoutes"]
