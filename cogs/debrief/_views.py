"""What the debrief shows: a step's components, its forms, the summary card as an embed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.coach import script
from bot.coach.script import VIEWS, YESNO, AnswerError, Step
from bot.render import debrief as text
from bot.render.debrief import Card, step_index
from bot.services.debriefs import DebriefState
from bot.ui import ids
from cogs.debrief._actions import Action, form_questions
from cogs.debrief._components import ChoiceButton, StepButton, StepModal, TopicsSelect

COLOUR = 0x5B7DB1


@dataclass
class Outgoing:
    """One message to send: text, an optional card, optional components."""

    content: str
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    #: The rest of a card too long for one message: each its own message, sent right after this one.
    more: tuple[discord.Embed, ...] = ()

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"content": self.content}
        if self.embed is not None:
            out["embed"] = self.embed
        if self.view is not None:
            out["view"] = self.view
        return out


def embed_of(card: Card) -> discord.Embed:
    embed = discord.Embed(title=card.title, description=card.description or None, colour=COLOUR)
    for name, value in card.fields:
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=card.footer)
    return embed


def view_for(state: DebriefState, step: Step, *, edit: bool = False) -> discord.ui.View:
    debrief_id = state.debrief.id
    index = step_index(step.key)
    value = state.value(step.key)
    answered = value is not None and value != []
    view = discord.ui.View(timeout=None)

    def button(action: str, label: str, *, row: int, value_: str | None = None, primary: bool = False) -> None:
        style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
        view.add_item(StepButton(action, debrief_id, index, value_, edit, label=label, style=style, row=row))

    if step.kind in ("text", "text_short"):
        button("write", text.LABELS["rewrite" if answered else "write"], row=0, primary=True)
    elif step.kind == "questions":
        button("addq", text.LABELS["addq"], row=0, primary=True)
        if len(text.questions_as_text(value or [])) <= 4000:
            button("list", text.LABELS["list"] if answered else text.LABELS["write_list"], row=0)
    elif step.kind in ("scale", "yesno"):
        for option_value, label in step.options:
            button("ans", label, row=0, value_=option_value, primary=str(value) == option_value)
    elif step.kind == "view":
        chosen = value.get("view") if isinstance(value, dict) else None
        for option_value, label in step.options:
            button("ans", label, row=0, value_=option_value, primary=chosen == option_value)
        noted = isinstance(value, dict) and bool(value.get("note"))
        button("write", text.LABELS["renote" if noted else "note"], row=0)
    elif step.kind == "topics":
        chosen = set(value or [])
        view.add_item(TopicsSelect(debrief_id, index, edit, chosen=chosen))
    if edit:
        if answered:
            button("skip", text.LABELS["clear"], row=1)
        button("next", text.LABELS["done_editing" if step.kind == "questions" else "unchanged"], row=1)
    else:
        if step.kind == "questions" and answered:
            button("next", text.LABELS["done_questions"], row=1, primary=True)
        else:
            button("skip", text.LABELS["keep" if answered else "skip"], row=1)
        if index > 0:
            button("back", text.LABELS["back"], row=1)
    return view


def text_modal(state: DebriefState, step: Step, *, edit: bool, typed: dict[str, Any] | None = None) -> discord.ui.Modal:
    """The answer's form; ``typed`` (a refused submission's values) fills it in again."""
    if step.kind == "view":
        return view_modal(state, step, edit=edit, typed=typed)
    modal = StepModal(step.title, ids.step_modal("text", state.debrief.id, step_index(step.key), edit))
    current = state.value(step.key) if typed is None else str(typed.get("answer") or "")
    modal.add_item(
        discord.ui.TextInput(
            label=text.ANSWER_LABEL,
            custom_id="answer",
            style=discord.TextStyle.short if step.kind == "text_short" else discord.TextStyle.paragraph,
            placeholder=step.placeholder[:100] or None,
            default=current if isinstance(current, str) and current else None,
            required=False,
            max_length=step.max_len,
        )
    )
    return modal


def view_modal(state: DebriefState, step: Step, *, edit: bool, typed: dict[str, Any] | None = None) -> discord.ui.Modal:
    """What the user made of the company, with a line on why: the view (a select) and the note."""
    modal = StepModal(step.title, ids.step_modal("view", state.debrief.id, step_index(step.key), edit))
    current = state.value(step.key) if typed is None else typed
    chosen = current.get("view") if isinstance(current, dict) else None
    if isinstance(chosen, list | tuple):  # a refused form's select comes back as the values chosen
        chosen = chosen[0] if chosen else None
    note = (current.get("note") or current.get("answer")) if isinstance(current, dict) else None
    modal.add_item(
        discord.ui.Label(
            text=text.VIEW_LABEL,
            component=discord.ui.Select(
                custom_id="view",
                placeholder=text.VIEW_PLACEHOLDER,
                options=[
                    discord.SelectOption(label=label, value=key, default=key == chosen) for key, label in VIEWS.items()
                ],
            ),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text=text.NOTE_LABEL,
            component=discord.ui.TextInput(
                custom_id="answer",
                style=discord.TextStyle.short,
                placeholder=step.placeholder[:100] or None,
                default=note or None,
                required=False,
                max_length=step.max_len,
            ),
        )
    )
    return modal


def question_modal(
    state: DebriefState, step: Step, *, edit: bool, typed: dict[str, Any] | None = None
) -> discord.ui.Modal:
    typed = typed or {}
    modal = StepModal(text.QUESTION_MODAL_TITLE, ids.step_modal("addq", state.debrief.id, step_index(step.key), edit))
    modal.add_item(
        discord.ui.Label(
            text=text.QUESTION_LABEL,
            component=discord.ui.TextInput(
                custom_id="question",
                style=discord.TextStyle.paragraph,
                default=str(typed.get("question") or "") or None,
                max_length=script.MAX_QUESTION_TEXT,
                placeholder="How does a hash map work?",
            ),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text=text.QUESTION_ANSWER_LABEL,
            component=discord.ui.TextInput(
                custom_id="qa",
                style=discord.TextStyle.paragraph,
                default=str(typed.get("qa") or "") or None,
                max_length=script.MAX_ANSWER,
                required=False,
                placeholder="Buckets and hashing; got vague on collisions",
            ),
        )
    )
    modal.add_item(
        discord.ui.Label(
            text=text.CHECK_LATER_LABEL,
            description=text.CHECK_LATER_HINT,
            component=discord.ui.Checkbox(custom_id="check", default=bool(typed.get("check"))),
        )
    )
    return modal


def list_modal(state: DebriefState, step: Step, *, edit: bool, typed: dict[str, Any] | None = None) -> discord.ui.Modal:
    modal = StepModal(text.LIST_MODAL_TITLE, ids.step_modal("list", state.debrief.id, step_index(step.key), edit))
    modal.add_item(
        discord.ui.TextInput(
            label=text.LIST_LABEL,
            custom_id="list",
            style=discord.TextStyle.paragraph,
            required=False,
            placeholder=text.LIST_PLACEHOLDER[:100],
            default=(
                str(typed.get("list") or "")
                if typed is not None
                else text.questions_as_text(state.value(step.key) or [])
            )
            or None,
            max_length=4000,
        )
    )
    return modal


def modal_values(data: dict[str, Any]) -> dict[str, Any]:
    """``custom_id -> value`` of a submitted form, from classic rows and from labels alike."""
    found: dict[str, Any] = {}

    def walk(components: list[dict[str, Any]]) -> None:
        for component in components:
            if component.get("type") == 1:
                walk(component.get("components") or [])
            elif component.get("type") == 18:
                walk([component.get("component") or {}])
            elif component.get("custom_id"):
                found[component["custom_id"]] = component.get("value", component.get("values"))

    walk(data.get("components") or [])
    return found


def button_value(step: Step, raw: str | None, current: object = None) -> object:
    """The answer a button gives; a company view button keeps the note written earlier (``current``)."""
    if step.kind == "scale" and raw and raw.isdigit():
        return int(raw)
    if step.kind == "yesno" and raw in YESNO:
        return raw
    if step.kind == "view" and raw in VIEWS:
        note = current.get("note") if isinstance(current, dict) else ""
        return {"view": raw, "note": note or ""}
    raise AnswerError("That button doesn't fit this step.")


def answer_value(action: Action, state: DebriefState, step: Step) -> object:
    """The answer a button, the topics select or an answer form gives (``None``: the step is skipped)."""
    if action.kind == "ans":
        return button_value(step, action.value, state.value(step.key))
    if action.kind == "topics":
        return action.chosen
    if action.source == "form" and action.kind == "view":
        return form_view(action.form, state.value(step.key))
    if action.source == "form" and action.kind == "text":
        return str(action.form.get("answer") or "")
    return None  # skip, next


def edit_value(action: Action, state: DebriefState, step: Step) -> object:
    """The answer a change writes for a step (``None``: skipped, or cleared in ``/debrief edit``): a question
    form's added to the list (or the list rewritten), anything else as :func:`answer_value` reads it."""
    if action.source == "form" and action.kind in ("addq", "list"):
        listed = list(state.value(step.key) or []) if action.kind == "addq" else []
        return [*listed, *form_questions(action, step)] or None
    return answer_value(action, state, step)


def checked_first(action: Action, state: DebriefState, step: Step) -> None:
    """Refuse (``AnswerError``) a value the coaching's rules refuse, before anything is answered or written:
    so a change answered first (its components taken off) is never then refused."""
    value = edit_value(action, state, step)
    if value is not None:
        script.validate_answer(step, value)


def form_view(form: dict[str, Any], current: object = None) -> dict[str, object]:
    """The company view a form gives: the view picked and the note (the earlier view if none was picked)."""
    picked = form.get("view")
    view = (
        picked[0] if isinstance(picked, list) and picked else current.get("view") if isinstance(current, dict) else None
    )
    return {"view": view, "note": str(form.get("answer") or "")}


def choice_view(debrief_id: int, interview_id: int, keep: str, aside: str) -> discord.ui.View:
    """Another debrief is open: continue it, or set it aside and start the new one."""
    view = discord.ui.View(timeout=None)
    view.add_item(ChoiceButton("keep", debrief_id, interview_id, label=keep, style=discord.ButtonStyle.primary))
    view.add_item(ChoiceButton("aside", debrief_id, interview_id, label=aside))
    return view
