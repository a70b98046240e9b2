"""Plain-text rendering of messages, for assertions and for a terminal sandbox.

Example::

    Debrief (only you can see this):
    Logged your interview at Acme.
    | Next steps
    | Send a thank-you note.
    | - When: tomorrow 2pm
    [1] Start  [2] Cancel (disabled)
    <select topics: coding / nerves>
    (attachment: notes.txt, 12 bytes)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import components as comp

if TYPE_CHECKING:
    from .models import FakeMessage


def render_message(message: FakeMessage) -> str:
    """Content, embeds, v2 text, attachments, numbered buttons and selects, one block of text."""
    header = message.author.display_name
    if message.ephemeral:
        header += " (only you can see this)"
    if message.loading:
        header += " is thinking..."
    lines = [f"{header}:"]
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        lines.extend(render_embed(embed))
    lines.extend(_render_components(message.components))
    for attachment in message.attachment_objs:
        lines.append(f"(attachment: {attachment.filename}, {attachment.size} bytes)")
    reactions = message.reactions
    if reactions:
        lines.append("reactions: " + " ".join(reactions))
    return "\n".join(lines)


def render_embed(embed: dict[str, Any]) -> list[str]:
    """An embed as lines prefixed with ``| ``."""
    body: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        body.append(author)
    if embed.get("title"):
        body.append(str(embed["title"]))
    if embed.get("description"):
        body.extend(str(embed["description"]).splitlines())
    for field in embed.get("fields") or []:
        body.append(f"- {field.get('name')}: {field.get('value')}")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        body.append(f"({footer})")
    return ["| " + line for line in body]


def _render_components(components: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    numbered: list[str] = []
    counter = 0
    for c in comp.walk(components):
        ctype = c.get("type")
        if ctype == comp.BUTTON:
            counter += 1
            text = f"[{counter}] {comp.label_of(c)}"
            if c.get("style") == comp.LINK_STYLE:
                text += f" <{c.get('url')}>"
            if c.get("disabled"):
                text += " (disabled)"
            numbered.append(text)
        elif ctype in comp.SELECT_TYPES:
            if numbered:
                lines.append("  ".join(numbered))
                numbered = []
            options = " / ".join(str(o.get("label")) for o in c.get("options") or [])
            name = c.get("placeholder") or c.get("custom_id")
            lines.append(f"<select {name}: {options}>" if options else f"<select {name}>")
        elif ctype == comp.TEXT_DISPLAY:
            lines.append(str(c.get("content", "")))
    if numbered:
        lines.append("  ".join(numbered))
    return lines


def render_modal(modal: dict[str, Any]) -> str:
    """A modal's title and inputs, one per line."""
    lines = [f"[modal] {modal.get('title')}"]
    for top in modal.get("components") or []:
        if top.get("type") == comp.LABEL:
            inner = top.get("component") or {}
            lines.append(f"- {top.get('label')} ({inner.get('custom_id')})")
        elif top.get("type") == comp.ACTION_ROW:
            for inner in top.get("components") or []:
                lines.append(f"- {inner.get('label')} ({inner.get('custom_id')})")
        elif top.get("type") == comp.TEXT_DISPLAY:
            lines.append(str(top.get("content", "")))
    return "\n".join(lines)
