"""What a fake message carries besides text: attached files and reactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Attachment:
    """A file attached to a message; its bytes are served by the fake."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            payload["content_type"] = self.content_type
        if self.description is not None:
            payload["description"] = self.description
        if self.ephemeral:
            payload["ephemeral"] = True
        return payload


@dataclass(eq=False)
class Reaction:
    """One emoji's reactions on a message."""

    emoji_name: str
    emoji_id: int | None = None
    user_ids: set[int] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.emoji_name}:{self.emoji_id}" if self.emoji_id else self.emoji_name

    def to_payload(self, me_id: int) -> dict[str, Any]:
        return {
            "emoji": {"id": str(self.emoji_id) if self.emoji_id else None, "name": self.emoji_name},
            "count": len(self.user_ids),
            "count_details": {"burst": 0, "normal": len(self.user_ids)},
            "me": me_id in self.user_ids,
            "me_burst": False,
            "burst_colors": [],
        }
