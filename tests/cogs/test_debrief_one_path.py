"""Issue 10: the debrief's four inputs (buttons, selects, forms, typed DMs) go through one
``Debriefs.apply`` with one staleness check, read from the code (AST) so a new side path fails here.
What each input does is tested end to end in ``debrief_e2e`` and the typed-reply tests."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cogs" / "debrief"
#: The service calls that change an open debrief's steps.
CHANGES = frozenset({"answer", "skip", "back", "answer_typed", "add_questions"})


def calls(name_of) -> list[tuple[str, int, str]]:
    """(file, line, enclosing function) of every call whose callee ``name_of`` picks out."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and name_of(node.func):
                    found.append((path.name, node.lineno, func.name))
    return found


def _service_change(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr in CHANGES
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "service"
    )


def test_every_change_to_a_debrief_step_is_made_in_one_place():
    places = calls(_service_change)
    assert places, "no service call that changes a step was found: the test no longer sees the cog"
    outside = [place for place in places if place[2] != "_change"]
    assert outside == [], f"a debrief step changed outside Debriefs._change: {outside}"


def test_one_staleness_check_reached_from_every_input():
    checks = calls(lambda func: isinstance(func, ast.Name) and func.id == "is_stale")
    assert [place[2] for place in checks] == ["apply"], checks
    applied = calls(lambda func: isinstance(func, ast.Attribute) and func.attr == "apply")
    callers = {place[2] for place in applied}
    # The button and the select (components), the form (on_interaction) and the typed DM (_typed_reply).
    assert {"callback", "on_interaction", "_typed_reply"} <= callers, applied
    actions = calls(lambda func: isinstance(func, ast.Name) and func.id == "Action")
    sources = set()
    for file, line, _func in actions:
        node = next(
            n
            for n in ast.walk(ast.parse((PACKAGE / file).read_text(encoding="utf-8")))
            if isinstance(n, ast.Call) and n.lineno == line and isinstance(n.func, ast.Name)
        )
        if node.args and isinstance(node.args[0], ast.Constant):
            sources.add(node.args[0].value)
    assert sources == {"button", "select", "form", "typed"}, sources
