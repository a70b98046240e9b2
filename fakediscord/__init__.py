"""A protocol-level fake Discord (REST v10 + gateway v10) for testing and sandboxing the bot.

It speaks the wire protocol only and imports nothing from ``discord`` or the rest of
``bot``: point an unmodified discord.py at it by setting ``discord.http.Route.BASE`` to
:attr:`FakeDiscord.api_base` and ``DiscordWebSocket.DEFAULT_GATEWAY`` to
:attr:`FakeDiscord.gateway_url`.
"""

from .commands import CommandUnavailable
from .harness import FakeUser
from .interactions import FakeInteraction, InteractionFailed
from .models import Attachment, FakeChannel, FakeGuild, FakeMessage, User
from .rest import RecordedRequest
from .server import FakeDiscord

__all__ = [
    "Attachment",
    "CommandUnavailable",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeInteraction",
    "FakeMessage",
    "FakeUser",
    "InteractionFailed",
    "RecordedRequest",
    "User",
]
