"""What the user did to a debrief step, as one value: a button, a select, a form or a typed DM all
become an :class:`Action`, which the cog applies in one place after one staleness check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.coach import script
from bot.coach.script import Step
from bot.services.debriefs import DebriefState
from bot.ui.errors import NotSaved, saving

__all__ = [
    "ACK_FIRST",
    "FORMS",
    "Action",
    "NotSaved",
    "acks_first",
    "form_questions",
    "is_stale",
    "saving",
]

#: Actions that open a form rather than change anything.
FORMS = ("write", "addq", "list")
#: Actions answered first (the clicked message's components taken off), then written, then followed by
#: what comes next: every change to a step, in an open debrief or in ``/debrief edit`` (the clicked
#: message becomes a record, the step before (**Back**), the step with its questions, or the card, once
#: the change is written). Only the buttons that open a form are not: the form is their answer.
ACK_FIRST = {"button": ("ans", "skip", "next", "back"), "select": ("topics",), "form": ("text", "view", "addq", "list")}


@dataclass(frozen=True, slots=True)
class Action:
    """``source`` is ``button``, ``select``, ``form`` or ``typed``. ``kind`` is the button's action (ans,
    write, addq, list, next, skip, back), ``topics`` for the select, the form's kind (text, addq, list), or
    for a typed DM ``back`` or ``text`` (its words in ``value``).
    ``edit`` marks ``/debrief edit`` (a finished debrief's step answered again)."""

    source: str
    kind: str
    debrief_id: int
    index: int
    edit: bool = False
    value: str | None = None  # a button's value
    chosen: list[str] = field(default_factory=list)  # the topics picked
    form: dict[str, Any] = field(default_factory=dict)  # a form's ``custom_id -> value``

    @property
    def written(self) -> str:
        """What the user typed into a form or a DM (quoted back to them if it came too late)."""
        if self.source == "typed":
            return self.value or ""
        form = self.form
        return str(form.get("answer") or form.get("list") or form.get("question") or "")


def acks_first(action: Action) -> bool:
    """Whether the interaction is answered before anything is written (a button that opens a form never
    is: the form is its answer)."""
    return action.kind in ACK_FIRST.get(action.source, ())


def is_stale(state: DebriefState, step: Step | None, action: Action) -> bool:
    """The one staleness check: the action names a step that is not the one it can act on now."""
    if step is None:
        return True
    if action.edit:
        return not state.done
    return state.debrief.state != "open" or state.step.key != step.key


def form_questions(action: Action, step: Step) -> list[dict[str, object]]:
    """The questions a form adds: one (``addq``) or the whole list as typed (``list``)."""
    if action.kind == "addq":
        return [
            {
                "question": str(action.form.get("question") or ""),
                "answer": str(action.form.get("qa") or ""),
                "check_later": bool(action.form.get("check")),
            }
        ]
    parsed = script.parse_typed_answer(step, str(action.form.get("list") or ""))
    return list(parsed) if isinstance(parsed, list) else []
