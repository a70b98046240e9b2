"""Issue 10: small files with one job. No Python file outside the tests is over 500 lines."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 500
SKIP = {"tests", ".venv", "venv", ".git", "build"}


def test_no_python_file_outside_the_tests_is_over_500_lines():
    sources = [p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts)]
    assert len(sources) > 50, "the test no longer finds the project's files"
    long = {
        str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"over {LIMIT} lines (split them by what they do): {long}"
