"""Every custom id is defined once, in bot.ui.ids: built, it parses back to the same fields, and every
DynamicItem the bot registers uses the template of the ids it builds."""

from __future__ import annotations

import importlib
import re

import discord
import pytest

from bot.app import EXTENSIONS
from bot.ui import ids

MARK = ids.prompt_marker(12345678901234567, 3)
BIG = 2**63 - 1

# (template, built id, the fields it must parse back to)
CASES = [
    (ids.DEBRIEF_START, ids.debrief_start(BIG), {"interview_id": str(BIG), "prompt_id": None}),
    (ids.DEBRIEF_START, ids.debrief_start(7, MARK), {"interview_id": "7", "prompt_id": "12345678901234567"}),
    *[
        (ids.PROMPT_SNOOZE, ids.prompt_snooze(choice, MARK), {"choice": choice, "prompt_id": "12345678901234567"})
        for choice in ("1h", "3h", "morning")
    ],
    (ids.PROMPT_SKIP, ids.prompt_skip(MARK), {"prompt_id": "12345678901234567"}),
    *[
        (ids.DRAFT_ACTION, ids.draft_action(action, BIG), {"action": action, "draft_id": str(BIG)})
        for action in ("save", "edit", "drop", "later")
    ],
    (ids.ZONE_PICK, ids.zone_pick(BIG), {"draft_id": str(BIG)}),
    (ids.ZONE_PICK, ids.zone_pick(None), {"draft_id": "0"}),
    *[
        (
            ids.QUIET_CONFIRM,
            ids.quiet_confirm(action, "2100", "1400"),
            {"action": action, "start": "2100", "end": "1400"},
        )
        for action in ("set", "keep")
    ],
    *[
        (ids.INTERVIEW_BUTTON, ids.interview_action(action, BIG), {"action": action, "interview_id": str(BIG)})
        for action in ("edit", "delete", "delete-yes", "keep", "forget", "forget-yes")
    ],
    *[
        (ids.FORGET_CONFIRM, ids.forget_confirm(action, BIG), {"action": action, "user_id": str(BIG)})
        for action in ("yes", "no")
    ],
    (ids.RETENTION_KEEP, ids.retention_keep(BIG), {"user_id": str(BIG), "prompt_id": None}),
    (ids.RETENTION_KEEP, ids.retention_keep(BIG, MARK), {"user_id": str(BIG), "prompt_id": "12345678901234567"}),
    (ids.INTERVIEW_WHEN, ids.interview_when(BIG), {"interview_id": str(BIG)}),
    *[
        (ids.LIST_PAGE, ids.list_page(direction, BIG), {"direction": direction, "page": str(BIG)})
        for direction in ("prev", "next")
    ],
    (ids.LIST_PICK, ids.list_pick(BIG), {"page": str(BIG)}),
    (ids.INTERVIEW_OUTCOME, ids.interview_outcome(BIG), {"interview_id": str(BIG)}),
    (ids.APPLICATIONS_UNDO, ids.applications_undo(BIG), {"entry_id": str(BIG)}),
    *[
        (
            ids.GHOST_OUTCOME,
            ids.ghost_outcome(result, BIG, MARK),
            {"result": result, "interview_id": str(BIG), "prompt_id": "12345678901234567"},
        )
        for result in ("advanced", "offer", "rejected", "ghosted", "withdrew")
    ],
    *[
        (
            ids.OUTCOME_CONFIRM,
            ids.outcome_confirm(result, BIG, sure=sure),
            {"result": result, "interview_id": str(BIG), "sure": ":sure" if sure else None},
        )
        for result in ("advanced", "offer", "rejected", "ghosted", "withdrew")
        for sure in (False, True)
    ],
    (ids.OUTCOME_DISMISS, ids.outcome_dismiss(), {}),
    (ids.CHECKIN_STEP, ids.checkin_step(BIG, MARK), {"interview_id": str(BIG), "prompt_id": "12345678901234567"}),
    (ids.CHECKIN_AGAIN, ids.checkin_again(BIG, MARK), {"interview_id": str(BIG), "prompt_id": "12345678901234567"}),
    (ids.FEEDBACK_REQUEST, ids.feedback_request(BIG), {"interview_id": str(BIG)}),
    (ids.FOCUS_FROM_DEBRIEF, ids.focus_from_debrief(BIG), {"interview_id": str(BIG)}),
    (ids.FOCUS_SHOW, ids.focus_show(MARK), {"prompt_id": "12345678901234567"}),
    *[
        (ids.FEEDBACK_CONTROL, ids.feedback_control(control, BIG), {"control": control, "feedback_id": str(BIG)})
        for control in ("within_control", "outside_control", "unsure")
    ],
    *[
        (
            ids.STEP_BUTTON,
            ids.step_button(action, BIG, 11, value, edit),
            {"action": action, "debrief_id": str(BIG), "index": "11", "value": value, "edit": ":e" if edit else None},
        )
        for action in ("ans", "write", "addq", "list", "next", "skip", "back")
        for value in (None, "unsure")
        for edit in (False, True)
    ],
    *[
        (
            ids.TOPICS_SELECT,
            ids.topics_select(BIG, 4, edit),
            {"debrief_id": str(BIG), "index": "4", "edit": ":e" if edit else None},
        )
        for edit in (False, True)
    ],
    (
        ids.REPORT_ANSWER,
        ids.report_answer(BIG, 10, BIG - 2),
        {"debrief_id": str(BIG), "index": "10", "draft_id": str(BIG - 2)},
    ),
    *[
        (
            ids.CHOICE_BUTTON,
            ids.choice_button(action, BIG, BIG - 1),
            {"action": action, "debrief_id": str(BIG), "interview_id": str(BIG - 1)},
        )
        for action in ("keep", "aside")
    ],
    *[
        (ids.FIX_FORM, ids.fix_form("0123abcd", opener), {"token": "0123abcd", "opener": opener})
        for opener in (
            ids.interview_action("edit", BIG),
            ids.draft_action("edit", BIG),
            ids.step_button("write", BIG, 12, edit=True),  # the longest opener
        )
    ],
    *[
        (
            ids.STEP_MODAL,
            ids.step_modal(kind, BIG, 9, edit),
            {"kind": kind, "debrief_id": str(BIG), "index": "9", "edit": ":e" if edit else None},
        )
        for kind in ("text", "addq", "list")
        for edit in (False, True)
    ],
]


@pytest.mark.parametrize(("template", "custom_id", "fields"), CASES, ids=[c[1] for c in CASES])
def test_every_id_round_trips(template: str, custom_id: str, fields: dict[str, str | None]) -> None:
    assert custom_id.startswith("dbf:") and len(custom_id) <= 100
    match = re.fullmatch(template, custom_id)
    assert match is not None, f"{custom_id} does not match {template}"
    assert match.groupdict() == fields


def test_every_template_is_covered() -> None:
    templates = {
        value
        for name, value in vars(ids).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, str)
    }
    templates -= {ids.PREFIX, ids.ANY_DEBRIEF_STEP}
    assert templates == {template for template, _, _ in CASES}


def test_ids_of_different_components_never_collide() -> None:
    """Each built id matches its own template and no other (a click is answered by one item)."""
    templates = {template for template, _, _ in CASES}
    for template, custom_id, _ in CASES:
        others = [t for t in templates if t != template and re.fullmatch(t, custom_id)]
        assert not others, f"{custom_id} also matches {others}"


def dynamic_items() -> list[type[discord.ui.DynamicItem]]:
    """The DynamicItem classes the extensions and the shared UI module define (once each: a bot that
    unloaded and loaded an extension again in this process left older copies of its classes behind)."""
    for extension in (*EXTENSIONS, "bot.ui.forms"):
        importlib.import_module(extension)
    found: dict[str, type[discord.ui.DynamicItem]] = {}
    todo = list(discord.ui.DynamicItem.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(("cogs.", "bot.ui.")):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_every_dynamic_item_uses_a_template_from_ids() -> None:
    items = dynamic_items()
    assert len(items) >= 12
    templates = {template for template, _, _ in CASES}
    for cls in items:
        assert cls.__discord_ui_compiled_template__.pattern in templates, cls.__qualname__


@pytest.mark.parametrize(("template", "custom_id", "fields"), CASES, ids=[c[1] for c in CASES])
def test_the_item_for_an_id_is_the_one_its_template_names(template, custom_id, fields) -> None:
    """The DynamicItem discord.py would pick for a built id is the one declared with its template."""
    if template == ids.STEP_MODAL:
        return  # forms are read by the debrief cog's listener, not by a DynamicItem
    matching = [cls for cls in dynamic_items() if cls.__discord_ui_compiled_template__.fullmatch(custom_id)]
    assert len(matching) == 1, (custom_id, matching)
    assert matching[0].__discord_ui_compiled_template__.pattern == template
