"""Text of the guided debrief: step messages, the summary card, and the bot's replies around them.

The step questions and hints themselves come from :mod:`bot.coach.script`; this module frames them.
Nothing here imports Discord: the summary card is a :class:`Card` the cog turns into an embed. Every
string passes :func:`bot.coach.voice.voice_problems` (see ``tests/test_debriefs_service.py``).

The custom ids of the debrief's components are in :mod:`bot.ui.ids`, with every other id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.coach import script
from bot.coach.script import STEPS, YESNO, Step, Summary
from bot.coach.stages import stage_label
from bot.coach.voice import plural
from bot.coach.when import format_local
from bot.render import limits
from bot.render.safe import block, inline
from bot.store import Interview

ELLIPSIS = "…"
CONTENT_MAX = 2000


def step_index(key: str) -> int:
    return script.step_number(key)[0] - 1


def step_at(index: int) -> Step | None:
    return STEPS[index] if 0 <= index < len(STEPS) else None


# -- small helpers -----------------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return limits._whole_escapes(text[: max(limit - 1, 0)].rstrip()) + ELLIPSIS


def quote(text: str, limit: int) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in clip(text, limit).splitlines())


def interview_line(interview: Interview, tz: ZoneInfo, now: datetime) -> str:
    """ "Acme, technical, yesterday 14:00"."""
    when = format_local(interview.starts_at, tz, now)
    return f"{inline(interview.company)}, {stage_label(interview.stage).lower()}, {when}"


def question_lines(items: Sequence[dict[str, Any]], limit: int) -> str:
    """The questions as a numbered list, each with its answer and a mark for "check later"."""
    lines: list[str] = []
    per_item = max(limit // max(len(items), 1) - 8, 40)
    for n, item in enumerate(items, 1):
        line = f"{n}. {inline(item['question'])}"
        if item.get("answer"):
            line += f" — {inline(item['answer'])}"
        line = clip(line, per_item)
        if item.get("check_later"):
            line += " *(check later)*"
        lines.append(line)
    return clip("\n".join(lines), limit)


def answer_text(step: Step, value: Any, limit: int = 600) -> str:
    """An answer as a short readable line or block."""
    if value is None:
        return "skipped"
    if step.kind in ("text", "text_short"):
        return clip(block(str(value)), limit)
    if step.kind == "scale":
        return f"{value} of 5"
    if step.kind == "yesno":
        return YESNO.get(str(value), str(value))
    if step.kind == "topics":
        return ", ".join(script.topic_label(k) for k in value) if value else "none"
    if step.kind == "questions":
        return question_lines(value, limit) if value else "none"
    return clip(block(str(value)), limit)


def questions_as_text(items: Sequence[dict[str, Any]]) -> str:
    """The questions in the typed form ("Q: … A: … [check]"), to edit as one block."""
    lines = []
    for item in items:
        line = f"Q: {item['question']}"
        if item.get("answer"):
            line += f" A: {item['answer']}"
        if item.get("check_later"):
            line += " [check]"
        lines.append(line)
    return "\n".join(lines)


# -- the step message ----------------------------------------------------------------------------------

STARTED = (
    "About ten minutes, one question at a time, and every answer is saved the moment you give it. "
    "Each step can be skipped, Back goes one step back, and you can type a reply here instead of "
    "using the buttons."
)
RESUMED = "Picking up where you left off. Your earlier answers are saved."
RESUMED_AFTER_PAUSE = (
    "Your debrief has been waiting here, so I haven't saved that as an answer. This is the step you're "
    "on; reply to it when you're ready, or `skip` it."
)


def set_aside(company: str) -> str:
    return (
        f"The debrief of **{inline(company)}** is set aside with every answer kept. `/debrief start` picks it up later."
    )


def step_message(
    step: Step, value: Any, interview: Interview, tz: ZoneInfo, now: datetime, *, note: str = "", edit: bool = False
) -> str:
    """The message for one step: where you are, the question, why it matters, what you said so far."""
    n, total = script.step_number(step.key)
    lines: list[str] = []
    if note:
        lines += [note, ""]
    where = "Editing your debrief" if edit else "Debrief"
    lines.append(f"-# {where} · {interview_line(interview, tz, now)} · step {n} of {total}")
    lines.append(f"**{step.title}**")
    lines.append(step.prompt)
    lines.append(f"-# {step.hint}")
    if step.kind == "questions":
        if value:
            lines += ["", f"So far ({plural(len(value), 'question')}):", question_lines(value, 700)]
    elif value is not None:
        lines += ["", "Your answer so far:", quote(answer_text(step, value, 500), 520)]
    if not edit and (n == 1 or note == RESUMED_AFTER_PAUSE):  # the first step, or they seem stuck
        lines.append(f"-# {typing_help(step)}")
    return clip("\n".join(lines), CONTENT_MAX)


def typing_help(step: Step) -> str:
    """How to answer ``step`` by typing: shown on the first step and when a typed reply couldn't be used."""
    return f"Or type your reply here. {step.typed_help} 'skip' skips, 'back' goes back."


def saved_line(step: Step, value: Any, *, kept: bool = False, skipped: bool = False) -> str:
    """What a step's message turns into once it is answered: a one-line record."""
    n, total = script.step_number(step.key)
    head = f"-# Step {n} of {total} · {step.title}"
    if skipped and not kept:
        return f"{head}\nSkipped."
    verb = "Kept" if kept else "Saved"
    if step.kind in ("text", "text_short", "questions"):
        return clip(f"{head}\n{verb}:\n{quote(answer_text(step, value, 300), 320)}", CONTENT_MAX)
    return f"{head}\n{verb}: {answer_text(step, value)}"


def stale_note(done: bool) -> str:
    if done:
        return (
            "That debrief is finished, so this button has nothing left to do. `/debrief show` has the card, "
            "and `/debrief edit` changes an answer."
        )
    return "That button belongs to a step you've already moved past, so nothing changed. Here is where you are now."


def stale_modal_note(text: str, *, typed: bool = False) -> str:
    """A form (or, ``typed``, a DM) sent for a step that has moved on: nothing saved, and their words given
    back."""
    if typed:
        base = "That step moved on while your message was on its way, so I didn't save it there."
    else:
        base = "That step has moved on since you opened the form, so I didn't save it there."
    if text.strip():
        return clip(
            f"{base} Here's what you wrote, to paste where it belongs:\n{quote(block(text), 1500)}", CONTENT_MAX
        )
    return base


def invalid_answer(error: str, had_answer: bool, typed: Step | None = None) -> str:
    """A reply that couldn't be used: the reason, and that nothing was lost; for a typed reply to ``typed``,
    how to type one that works (the step message shows that only on the first step)."""
    kept = "Your earlier answer is still saved." if had_answer else "Nothing was saved for this step yet."
    if typed is not None:
        return f"{error} {kept}\n-# {typing_help(typed)}"
    return f"{error} {kept}"


def conflict_text(open_interview: Interview, open_step: Step, wanted: Interview, tz: ZoneInfo, now: datetime) -> str:
    n, total = script.step_number(open_step.key)
    return (
        f"You're partway through the debrief of **{inline(open_interview.company)}** (step {n} of {total}). "
        f"Continue that one, or set it aside and start **{inline(wanted.company)}**? Setting it aside keeps every "
        "answer, and `/debrief start` picks it up later."
    )


def choice_labels(open_interview: Interview, wanted: Interview) -> tuple[str, str]:
    return clip(f"Continue {open_interview.company}", 80), clip(f"Set it aside, start {wanted.company}", 80)


def already_done(interview: Interview, finished_at: datetime | None, tz: ZoneInfo, now: datetime) -> str:
    when = f" {format_local(finished_at, tz, now)}" if finished_at else ""
    return (
        f"You finished the debrief of **{inline(interview.company)}**{when}. Here's the card. "
        "`/debrief edit` answers a step again."
    )


def finished_text(one_thing: str | None, kept: str | None = None) -> str:
    """``kept``: a focus the user already holds, which the one thing did not replace."""
    lines = [
        "That's the debrief done. The card below is saved; `/debrief show` brings it back and "
        "`/debrief edit` changes any answer."
    ]
    if one_thing and kept:
        lines.append(
            f"Your one thing to change: **{clip(inline(one_thing), 300)}**. Your current focus stays "
            f"**{clip(inline(kept), 300)}** unless you make this one a focus too."
        )
    elif one_thing:
        lines.append(f"Your next focus: **{clip(inline(one_thing), 300)}**")
    else:
        lines.append("You skipped the one thing to change, so your focus stays as it was.")
    return "\n".join(lines)


def edited_text(step: Step) -> str:
    return f"Updated **{step.title}**. Here's the card with the change."


def in_progress_note(step: Step) -> str:
    n, total = script.step_number(step.key)
    return f"In progress, at step {n} of {total}. `/debrief start` picks it up."


SENT_TO_DMS = "I've sent it to your DMs. The debrief happens there, where only you can see it."
DMS_CLOSED = (
    "I can't send you DMs, and the debrief happens there so your notes stay private. Allow direct messages "
    "from this server (Server menu → Privacy Settings → Direct Messages) or add Debrief to your apps, then "
    "run `/debrief start` again."
)
NOTHING_TO_DEBRIEF = (
    "There's no past interview waiting for a debrief. Log one with `/interview log`; after that "
    "`/debrief start` works for it any time, late or not."
)
NOTHING_TO_DEBRIEF_DM = (
    "There's no past interview waiting for a debrief. Tell me about one (\"phone screen with Acme this "
    'morning") or use `/interview log`, and we can start.'
)
EDIT_DONE = "Done editing. The card above is up to date."
NO_CHANGE = "Left as it was."
QUESTION_ADDED = "Added."
ALREADY_DONE_TYPED = "That debrief is finished."

#: Labels of the step buttons.
LABELS = {
    "write": "Write it",
    "rewrite": "Change it",
    "addq": "Add a question",
    "list": "Edit the list",
    "write_list": "Write them as a list",
    "skip": "Skip",
    "keep": "Keep and go on",
    "done_questions": "That's all",
    "back": "Back",
    "clear": "Clear answer",
    "unchanged": "Leave as is",
    "done_editing": "Done",
}
TOPICS_PLACEHOLDER = "Pick the topics that came up"
ANSWER_LABEL = "Your answer"
QUESTION_MODAL_TITLE = "Add a question"
LIST_MODAL_TITLE = "Your questions"
QUESTION_LABEL = "The question"
QUESTION_ANSWER_LABEL = "Your answer, roughly"
CHECK_LATER_LABEL = "Check this answer later"
CHECK_LATER_HINT = "Tick if you weren't sure of your answer"
LIST_LABEL = "One question per line"
LIST_PLACEHOLDER = "Q: How does a hash map work? A: Buckets, got vague on collisions [check]"


# -- the summary card ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Card:
    """An embed's worth of text (built into a ``discord.Embed`` by the cog)."""

    title: str
    description: str
    fields: tuple[tuple[str, str], ...]
    footer: str

    def total(self) -> int:
        return len(self.title) + len(self.description) + len(self.footer) + sum(len(n) + len(v) for n, v in self.fields)


#: Room kept below Discord's 6,000 characters per embed (and per message: one card, one embed each).
_CARD_ROOM = 200


def _pieces(text: str, size: int = limits.FIELD_VALUE) -> list[str]:
    """``text`` in pieces of at most ``size``, cut just after a line break or a space where one is in the
    second half of a piece, and never between a backslash and the character it escapes. Nothing is lost:
    the pieces put back together are ``text`` (pieces of only whitespace are left out)."""
    pieces: list[str] = []
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size)) + 1
        if cut <= size // 2:
            cut = size
        head = text[:cut]
        if (len(head) - len(head.rstrip("\\"))) % 2:
            cut -= 1  # a lone trailing backslash escapes the next piece's first character: keep them together
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return [p for p in pieces if p.strip()]


def _sections(summary: Summary) -> list[tuple[str, str]]:
    """The card's sections, whole, in order; every word the user wrote escaped with :mod:`bot.render.safe`."""
    sections: list[tuple[str, str | None]] = [
        ("What felt strong", block(summary.strong) if summary.strong else None),
        ("Where you stumbled", block(summary.stumbles) if summary.stumbles else None),
        ("Prep that didn't hold up", block(summary.prep_gaps) if summary.prep_gaps else None),
        ("Answers to check", "\n".join(f"• {inline(q)}" for q in summary.check_later) or None),
    ]
    human: list[str] = []
    if summary.confidence is not None:
        human.append(f"Confidence {summary.confidence} of 5.")
    human.extend(block(note) if note == summary.soft_side else note for note in summary.soft_notes)
    sections += [
        ("The human side", "\n".join(human)),
        ("Topics", ", ".join(summary.topics) if summary.topics else None),
        ("The one thing to change", block(summary.one_thing) if summary.one_thing else None),
        ("From arrival to goodbye", block(summary.recall) if summary.recall else None),
    ]
    if summary.questions:
        items = [q.to_dict() for q in summary.questions]
        sections.append((f"Their questions ({len(items)})", question_lines(items, 10**9)))
    return [(name, text) for name, text in sections if text and text.strip()]


def cards(
    interview: Interview,
    summary: Summary,
    tz: ZoneInfo,
    now: datetime,
    *,
    finished_at: datetime | None = None,
    note: str = "",
) -> list[Card]:
    """The summary card: strong points, stumbles, topics, the one thing (and what else was said), every
    answer whole. A section longer than a field continues in the next field ("… (cont.)"), and fields
    that don't fit one embed go on to the next card (one message each), "part 2 of 3" in the footer."""
    role = f" ({inline(interview.role)})" if interview.role else ""
    title = limits.clip(f"Debrief: {inline(interview.company)}{role}", limits.EMBED_TITLE - 10)
    description = f"{stage_label(interview.stage)}, {format_local(interview.starts_at, tz, now)}"
    if note:
        description += f"\n{clip(note, 300)}"
    fields: list[tuple[str, str]] = []
    for name, text in _sections(summary):
        for n, piece in enumerate(_pieces(text)):
            fields.append((name if n == 0 else f"{name} (cont.)", piece))
    if summary.is_empty:
        fields.append(("Nothing recorded", "Every step was skipped. `/debrief edit` adds an answer any time."))
    footer = f"{len(summary.answered)} of {len(STEPS)} steps answered"
    if finished_at is not None:
        footer += f" · finished {format_local(finished_at, tz, now)}"
    budget = limits.EMBED_TOTAL - _CARD_ROOM
    groups: list[list[tuple[str, str]]] = [[]]
    used = len(title) + len(description) + len(footer)
    for name, value in fields:
        if len(groups[-1]) == limits.EMBED_FIELDS or used + len(name) + len(value) > budget:
            groups.append([])
            used = len(title) + len(footer)
        groups[-1].append((name, value))
        used += len(name) + len(value)
    total = len(groups)
    if total == 1:
        return [Card(title, description, tuple(groups[0]), footer)]
    return [
        Card(
            title if n == 0 else f"{title} ({n + 1}/{total})",
            description if n == 0 else "",
            tuple(group),
            f"{footer} · part {n + 1} of {total}",
        )
        for n, group in enumerate(groups)
    ]


def all_texts() -> Iterable[str]:
    """Every fixed string of this module, for the voice test."""
    yield from (STARTED, RESUMED, set_aside("Acme"), SENT_TO_DMS, DMS_CLOSED, NOTHING_TO_DEBRIEF, NOTHING_TO_DEBRIEF_DM)
    yield from (EDIT_DONE, NO_CHANGE, QUESTION_ADDED, ALREADY_DONE_TYPED, TOPICS_PLACEHOLDER)
    yield from (ANSWER_LABEL, QUESTION_MODAL_TITLE, LIST_MODAL_TITLE, QUESTION_LABEL, QUESTION_ANSWER_LABEL)
    yield from (CHECK_LATER_LABEL, CHECK_LATER_HINT, LIST_LABEL, LIST_PLACEHOLDER)
    yield from LABELS.values()
    yield from (stale_note(True), stale_note(False), stale_modal_note(""), stale_modal_note("words"))
    yield from (invalid_answer("x.", True), invalid_answer("x.", False), finished_text("Rehearse"), finished_text(None))
    yield from (edited_text(s) for s in STEPS)
    yield from (in_progress_note(s) for s in STEPS)


# -- a DM during a debrief that reads as a new interview ----------------------------------------------

RECORD_AS_NEW = "Record as new interview"
REPORT_GONE = "That has already been dealt with: the message was saved as an answer or recorded as an interview."


def report_answer_label(step: Step) -> str:
    """The button that saves the typed message as the answer (a button label holds 80 characters)."""
    return limits.clip(f"Save as answer to “{step.title}”", 80)


def report_question(step: Step, company: str | None, stage: str | None, starts_at, tz: ZoneInfo, now) -> str:
    """Asked when a DM typed during an open debrief reads as news of an interview."""
    what = stage_label(stage).lower() if stage else "interview"
    when = format_local(starts_at, tz, now) if starts_at else ""
    return (
        f"That reads like a new interview: {what} with **{inline(company or '')}**, {when}. "
        f"Is it, or is it your answer to “{step.title}”? Nothing is saved until you choose."
    )
