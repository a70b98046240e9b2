"""The text of /export, /forget and the retention warning, and the export files themselves.

The JSON export's format (``version`` 1, described in docs/privacy.md)::

    {"format": "debrief-export", "version": 1, "exported_at": "2026-11-23T09:00:00Z", "user_id": "…",
     "settings": {…} | null, "servers": […], "interviews": […], "debriefs": […], "answers": […],
     "feedback": […], "next_steps": […], "focus": […], "applications": […], "prompts": […], "drafts": […],
     "weekly_summaries": […], "cohort_opt_ins": […]}

Each section lists the stored rows with every column. Times (columns ending ``_at``) are ISO 8601 in
UTC; Discord ids (users, servers, channels, messages) are strings, so JavaScript readers keep every
digit; an answer's ``value`` and a debrief's ``summary`` are JSON, given as JSON.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bot.services.privacy import Export

#: Discord's default upload limit for a bot's message (each file, and what this sends per message).
ATTACHMENT_LIMIT = 10 * 1024 * 1024

#: Columns holding Discord snowflakes (exported as strings).
SNOWFLAKES = {"user_id", "guild_id", "channel_id", "dm_channel_id", "message_id"}
#: Columns holding JSON text.
JSON_COLUMNS = {"value", "summary"}

#: What each table holds, in words (for /forget's preview and the Markdown file).
KINDS = {
    "users": "your settings",
    "memberships": "servers you used Debrief in",
    "interviews": "interviews",
    "debriefs": "debriefs",
    "answers": "debrief answers",
    "feedback": "feedback notes",
    "next_steps": "next steps chosen",
    "focus": "focus items",
    "applications": "application counts",
    "prompts": "reminders (sent and pending)",
    "drafts": "unconfirmed interviews",
    "weekly_runs": "weekly summaries sent or planned",
    "cohort_members": "server summaries you chose to be counted in",
}


def _iso(ts: int | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _value(section: str, column: str, value: Any) -> Any:
    if value is None:
        return None
    if column.endswith("_at") and isinstance(value, int):
        return _iso(value)
    if column in SNOWFLAKES or (section == "settings" and column == "id"):
        return str(value)
    if column in JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def export_document(export: Export) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "debrief-export",
        "version": export.version,
        "exported_at": export.exported_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "user_id": str(export.user_id),
    }
    for section, rows in export.sections.items():
        converted = [{k: _value(section, k, v) for k, v in row.items()} for row in rows]
        doc[section] = (converted[0] if converted else None) if section == "settings" else converted
    return doc


def export_json(export: Export) -> bytes:
    return json.dumps(export_document(export), indent=2, ensure_ascii=False).encode("utf-8")


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return str(value)


def export_markdown(export: Export) -> bytes:
    """The same records, readable: each interview with its debrief, feedback and next steps."""
    doc = export_document(export)
    out: list[str] = [
        "# Everything Debrief holds about you",
        "",
        f"Exported {doc['exported_at']} (UTC). The JSON file next to this one has the same records in a "
        f"machine-readable form (format version {doc['version']}).",
        "",
    ]
    settings = doc.get("settings")
    out += ["## Settings", ""]
    if settings:
        out += [f"- **{key}**: {value if value is not None else '—'}" for key, value in settings.items()]
    else:
        out.append("No settings are stored.")
    out.append("")

    debriefs = {d["interview_id"]: d for d in doc.get("debriefs", [])}
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in doc.get("answers", []):
        answers.setdefault(answer["debrief_id"], []).append(answer)
    by_interview: dict[str, dict[int, list[dict[str, Any]]]] = {"feedback": {}, "next_steps": {}}
    for section in by_interview:
        for row in doc.get(section, []):
            by_interview[section].setdefault(row.get("interview_id") or 0, []).append(row)

    out += ["## Interviews", ""]
    if not doc.get("interviews"):
        out += ["None.", ""]
    for iv in doc.get("interviews", []):
        out.append(f"### {iv['company']} — {iv['stage']}, {iv['starts_at']}")
        out += [
            f"- **{k}**: {v}" for k, v in iv.items() if k not in {"company", "stage", "starts_at"} and v is not None
        ]
        debrief = debriefs.get(iv["id"])
        if debrief:
            out += ["", f"**Debrief** ({debrief['state']}, started {debrief['started_at']})"]
            for answer in answers.get(debrief["id"], []):
                shown = "(skipped)" if answer.get("skipped") else _answer_text(answer["value"])
                out.append(f"- {answer['step']}: {shown}")
        for fb in by_interview["feedback"].get(iv["id"], []):
            out.append(f"- **Feedback** ({fb['created_at']}): {fb['text']}")
        for step in by_interview["next_steps"].get(iv["id"], []):
            out.append(f"- **Next step** ({step['chosen_at']}): {step['action']}")
        out.append("")

    shown = {"settings", "interviews", "debriefs", "answers"}
    for section, rows in doc.items():
        if not isinstance(rows, list) or section in shown:
            continue
        out += [f"## {section.replace('_', ' ').capitalize()}", ""]
        if not rows:
            out += ["None.", ""]
            continue
        for row in rows:
            out.append("- " + ", ".join(f"{k}: {v}" for k, v in row.items() if v is not None))
        out.append("")
    return "\n".join(out).encode("utf-8")


def export_files(export: Export) -> list[tuple[str, bytes]]:
    stamp = export.exported_at.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return [
        (f"debrief-export-{stamp}.json", export_json(export)),
        (f"debrief-export-{stamp}.md", export_markdown(export)),
    ]


def package(files: list[tuple[str, bytes]], limit: int = ATTACHMENT_LIMIT) -> list[list[tuple[str, bytes]]]:
    """The files grouped into messages of at most ``limit`` bytes each: as they are if they fit in
    one message, else zipped, and the zip split into numbered parts if it still doesn't fit (join the
    parts with ``cat name.zip.001 name.zip.002 … > name.zip``)."""
    if sum(len(data) for _, data in files) <= limit:
        return [files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files:
            archive.writestr(name, data)
    zipped = buffer.getvalue()
    base = files[0][0].rsplit(".", 1)[0] + ".zip"
    if len(zipped) <= limit:
        return [[(base, zipped)]]
    chunks = [zipped[i : i + limit] for i in range(0, len(zipped), limit)]
    return [[(f"{base}.{n:03d}", chunk)] for n, chunk in enumerate(chunks, start=1)]


def export_message(export: Export, part: int, parts: int) -> str:
    if part > 1:
        return f"Your export, part {part} of {parts}."
    text = (
        f"Here is everything Debrief holds about you: {export.records} records, as JSON and as a readable "
        "Markdown file."
    )
    if parts > 1:
        text += f" It is large, so it comes zipped in {parts} parts; join them in order to unzip."
    return text


def _counted(counts: dict[str, int]) -> Iterable[str]:
    for table, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        yield f"- {n} × {KINDS.get(table, table.replace('_', ' '))}"


def forget_preview(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "I hold nothing about you. There is nothing to delete."
    return "\n".join(
        [
            f"**This deletes everything I hold about you: {total} records.**",
            *_counted(counts),
            "",
            "Pending reminders are cancelled with them. What is kept: nothing personal — a server's own "
            "settings stay with the server, and the log holds no notes of yours. Take a copy first with "
            "`/export` if you want one. This can't be undone.",
        ]
    )


def forgotten(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return f"Done: {total} records deleted. Nothing about you is left. If you use Debrief again, it starts fresh."


def forget_interview_preview(company: str) -> str:
    return (
        f"Forget **{company}**? Its debrief and every answer, its feedback, next steps and reminders are "
        "deleted, and later rounds lose their link to it. This can't be undone."
    )


def interview_forgotten(company: str, counts: dict[str, int]) -> str:
    return f"Forgot **{company}**: {sum(counts.values())} records deleted."


def retention_warning(last_seen: str, deletes_on: str) -> str:
    return (
        f"You haven't used Debrief since **{last_seen}**. This bot deletes the data of people who have been "
        f"away that long, so on **{deletes_on}** everything I hold about you will be deleted.\n"
        "To keep it, press **Keep my data** or use any command. To take a copy first, use `/export`."
    )


def policy_link(url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f"**Privacy:** what is kept and for how long, who sees what, export and delete: <{url}>"
    return f"**Privacy:** what is kept and for how long, who sees what: see `{url}` in Debrief's repository."
