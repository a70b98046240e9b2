"""Answers to the debrief's steps: checking a value (:func:`validate_answer`) and reading a typed DM
reply (:func:`parse_typed_answer`), in linear time. Re-exported by :mod:`bot.coach.script`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.coach.script_types import (
    _TOPIC_BY_KEY,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    MAX_TYPED,
    SKIP_WORDS,
    TOPIC_KEYS,
    TOPICS,
    VIEWS,
    YESNO,
    AnswerError,
    Step,
)
from bot.coach.text import MAX_ANSWER, TextError, clean_text

# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class QuestionAnswer:
    """One interview question, the answer given, and whether to check it later."""

    question: str
    answer: str = ""
    check_later: bool = False

    def to_dict(self) -> dict[str, object]:
        """The stored form: ``{"question", "answer", "check_later"}``."""
        return {"question": self.question, "answer": self.answer, "check_later": self.check_later}


def _topic_options() -> str:
    return ", ".join(t.label for t in TOPICS)


def _clean(value: str, step_: Step, field_name: str = "answer") -> str:
    try:
        return clean_text(value, max_len=step_.max_len, field=field_name)
    except TextError as err:
        raise AnswerError(str(err)) from err


def _validate_questions(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list | tuple):
        raise AnswerError("The questions should be a list of question and answer pairs.")
    if len(value) > MAX_QUESTIONS:
        raise AnswerError(f"That's {len(value)} questions; up to {MAX_QUESTIONS} fit in one debrief.")
    out: list[dict[str, object]] = []
    for item in value:
        if isinstance(item, QuestionAnswer):
            item = item.to_dict()
        if not isinstance(item, Mapping):
            raise AnswerError("Each question needs a question text and, optionally, your answer.")
        question = item.get("question")
        answer = item.get("answer") or ""
        check_later = item.get("check_later", False)
        if not isinstance(question, str):
            raise AnswerError("Each question needs its text.")
        try:
            question = clean_text(question, max_len=MAX_QUESTION_TEXT, field="question")
        except TextError as err:
            raise AnswerError(str(err)) from err
        if not isinstance(answer, str):
            raise AnswerError("An answer needs to be text.")
        answer = answer.strip()
        if len(answer) > MAX_ANSWER:
            raise AnswerError(f"An answer is {len(answer):,} characters; the limit is {MAX_ANSWER:,}.")
        if not isinstance(check_later, bool):
            raise AnswerError("'Check this answer later' must be yes or no.")
        out.append({"question": question, "answer": answer, "check_later": check_later})
    return out


def _validate_view(step: Step, value: object) -> dict[str, str]:
    """``{"view": one of VIEWS, "note": str}``; a bare view key (a button) has no note."""
    if isinstance(value, str):
        value = {"view": value, "note": ""}
    if not isinstance(value, Mapping):
        raise AnswerError("Pick Keen, Not sure or Not for me, with a note if you like.")
    view = value.get("view")
    if view not in VIEWS:
        raise AnswerError("Pick Keen, Not sure or Not for me.")
    note = value.get("note") or ""
    if not isinstance(note, str):
        raise AnswerError("The note needs to be text.")
    note = _clean(note, step, "note") if note.strip() else ""
    return {"view": str(view), "note": note}


def validate_answer(step: Step, value: object) -> object:
    """Check ``value`` for ``step`` and return it in its stored form.

    ``None`` means the step was skipped and is always accepted. Raises
    :class:`AnswerError` with a message fit to show the user.
    """
    if value is None:
        return None
    kind = step.kind
    if kind in ("text", "text_short"):
        if not isinstance(value, str):
            raise AnswerError("This answer needs to be text.")
        return _clean(value, step)
    if kind == "scale":
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError("Pick a number from 1 to 5.")
        if not 1 <= value <= 5:
            raise AnswerError(f"{value} is outside the scale; pick a number from 1 to 5.")
        return value
    if kind == "yesno":
        if value not in YESNO:
            raise AnswerError("Answer yes, no, or not sure.")
        return value
    if kind == "topics":
        if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
            raise AnswerError("Topics should be a list.")
        unknown = [v for v in value if v not in _TOPIC_BY_KEY]
        if unknown:
            raise AnswerError(
                f"Unknown {'topic' if len(unknown) == 1 else 'topics'}: {', '.join(map(str, unknown))}. "
                f"The options are: {_topic_options()}."
            )
        chosen = set(value)
        return [key for key in TOPIC_KEYS if key in chosen]
    if kind == "questions":
        return _validate_questions(value)
    if kind == "view":
        return _validate_view(step, value)
    raise AnswerError(f"Unknown step kind {kind!r}.")


# --------------------------------------------------------------------------- typed replies

_SCALE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_YES = frozenset({"yes", "y", "yeah", "yep", "yup", "ya", "sure", "definitely", "i did", "yes i did"})
_NO = frozenset({"no", "n", "nope", "nah", "not really", "i didn't", "i did not", "no i didn't"})
_UNSURE = frozenset(
    {"not sure", "unsure", "maybe", "perhaps", "possibly", "dunno", "don't know", "dont know", "no idea", "?", "idk"}
    | {"kind of", "sort of", "a bit", "partly", "hard to say"}
    | {"i don't know", "i dont know", "not really sure"}
)
#: A reply starting with one of these is "not sure", whatever follows.
_UNSURE_FIRST = frozenset({"maybe", "perhaps", "possibly", "unsure", "dunno", "idk"})
# Typed replies are read by hand-written scanners or by patterns that start with a literal and have
# no nested or adjacent quantifiers over the same characters, so every reading is linear in the text.
_CHECK_MARK = re.compile(r"[\[(](?:check(?: later)?|\?)[\])]", re.IGNORECASE)
_LABEL_MARKS = ":.)-"
_BULLET_MARKS = "-*\u2022"


def _is_skip(text: str) -> bool:
    return text.strip().lower().rstrip(".") in SKIP_WORDS


def _parse_scale(text: str) -> int:
    raw = text.strip().lower().rstrip(".")
    match = re.fullmatch(r"(\d+|one|two|three|four|five)\s*(?:/\s*5|out of (?:5|five)|of 5)?", raw)
    if match:
        token = match.group(1)
        number = _SCALE_WORDS[token] if token in _SCALE_WORDS else int(token)
        if 1 <= number <= 5:
            return number
    raise AnswerError("Reply with a number from 1 to 5, for example 4 or 4/5.")


def _parse_yesno(text: str) -> str:
    raw = text.strip().lower().replace("\u2019", "'")
    raw = raw.rstrip(".!?") or raw  # "Maybe?" is an answer; "?" alone means not sure
    if raw in _YES:
        return "yes"
    if raw in _NO:
        return "no"
    if raw in _UNSURE:
        return "unsure"
    first = raw.split(maxsplit=1)[0] if raw else ""
    if first.rstrip(",") in ("yes", "yeah", "yep"):
        return "yes"
    if first.rstrip(",") in ("no", "nope", "nah"):
        return "no"
    if first.rstrip(",.") in _UNSURE_FIRST:  # "maybe, I think so", "perhaps not"
        return "unsure"
    raise AnswerError("Reply yes, no, or not sure.")


# A view said first ("not for me: no on-call", "keen - great team"): the longest phrases come first, so
# "not sure" is never read as "no". Only a phrase followed by the end or a separator counts as said first.
_VIEW_LEADS: tuple[tuple[str, str], ...] = (
    ("not for me", "not_for_me"),
    ("not interested", "not_for_me"),
    ("not keen", "not_for_me"),
    ("not really", "not_for_me"),
    ("nope", "not_for_me"),
    ("nah", "not_for_me"),
    ("no", "not_for_me"),
    ("on the fence", "unsure"),
    ("not sure", "unsure"),
    ("undecided", "unsure"),
    ("unsure", "unsure"),
    ("maybe", "unsure"),
    ("mixed", "unsure"),
    ("very keen", "keen"),
    ("keen", "keen"),
    ("excited", "keen"),
    ("interested", "keen"),
    ("yes", "keen"),
)
_VIEW_SEPARATORS = ":,;.!-\u2013\u2014"
# Words anywhere in a note with no view said first. Declining comes first: "not for me" is a legitimate
# conclusion, recorded as such; anything unclear is "not sure" rather than a guess at keenness.
_NOT_FOR_ME_WORDS = (
    "not for me",
    "not keen",
    "not interested",
    "wouldn't take",
    "would not take",
    "red flag",
    "pass on",
)
_UNSURE_WORDS = ("not sure", "unsure", "mixed feelings", "on the fence", "undecided")
_KEEN_WORDS = ("keen", "excited", "would love", "i'd love", "really liked", "great fit", "want to work", "loved")


def read_view(text: str) -> tuple[str, str]:
    """``(view, note)`` from words about the company: a view said first and the rest as the note, or,
    with none said first, the view the words suggest and all of them as the note. Linear in the text."""
    note = " ".join(text.split())
    said = note.lower().replace("\u2019", "'")
    for phrase, view in _VIEW_LEADS:
        if not said.startswith(phrase):
            continue
        after = len(phrase) + (said[len(phrase) : len(phrase) + 1] == " ")  # one space: "keen - great team"
        if after >= len(said) or said[after] in _VIEW_SEPARATORS:
            return view, note[after:].lstrip(_VIEW_SEPARATORS + " ")
    for words, view in ((_NOT_FOR_ME_WORDS, "not_for_me"), (_UNSURE_WORDS, "unsure"), (_KEEN_WORDS, "keen")):
        if any(w in said for w in words):
            return view, note
    return "unsure", note


def _parse_view(step: Step, text: str) -> dict[str, str]:
    view, note = read_view(text)
    return _validate_view(step, {"view": view, "note": note})


def _topic_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for topic in TOPICS:
        table[topic.key] = topic.key
        table[topic.key.replace("_", " ")] = topic.key
        table[topic.label.lower()] = topic.key
    table.update(
        {
            "behavioural": "behavioural",
            "behavioral": "behavioural",
            "behavioral stories": "behavioural",
            "stories": "behavioural",
            "algorithm": "algorithms",
            "algos": "algorithms",
            "dsa": "algorithms",
            "design": "system_design",
            "domain": "domain",
            "takehome": "take_home",
            "take home": "take_home",
            "questions": "questions_for_them",
            "my questions": "questions_for_them",
            "nerve": "nerves",
            "nervous": "nerves",
            "anxiety": "nerves",
        }
    )
    return table


def _parse_topics(text: str) -> list[str]:
    raw = text.strip().lower()
    if raw.rstrip(".") in ("none", "nothing", "no topics"):
        return []
    parts = [p.strip(" .") for p in re.split(r",|;|\n|\band\b|&", raw)]
    parts = [p for p in parts if p]
    lookup = _topic_lookup()
    chosen: list[str] = []
    unknown: list[str] = []
    for part in parts:
        key = lookup.get(part)
        if key is None:
            unknown.append(part)
        elif key not in chosen:
            chosen.append(key)
    if unknown:
        raise AnswerError(
            f"I don't know {', '.join(repr(u) for u in unknown)} as a topic. "
            f"The options are: {_topic_options()}. Separate several with commas."
        )
    if not chosen:
        raise AnswerError(f"Name one or more topics, separated by commas. The options are: {_topic_options()}.")
    return [key for key in TOPIC_KEYS if key in chosen]


def _skip_space(line: str, i: int) -> int:
    while i < len(line) and line[i].isspace():
        i += 1
    return i


def _after_label(line: str, i: int, letter: str) -> int | None:
    """Where the text after a label such as "Q:" or "a )" starting at ``i`` begins, or None."""
    if i >= len(line) or line[i].lower() != letter:
        return None
    i = _skip_space(line, i + 1)
    if i >= len(line) or line[i] not in _LABEL_MARKS:
        return None
    return i + 1


def _without_check_marks(line: str) -> tuple[str, bool]:
    """``line`` with "[check]", "(check later)" and "(?)" removed, and whether one was there."""
    pieces = _CHECK_MARK.split(line)
    if len(pieces) == 1:
        return line, False
    last = len(pieces) - 1
    kept = [p.rstrip() if k == 0 else p.lstrip() if k == last else p.strip() for k, p in enumerate(pieces)]
    return " ".join(kept), True


def _without_bullet(line: str) -> str:
    """``line`` without a leading "-", "*", "\u2022", "1." or "1)" (``line`` is already stripped)."""
    if line[:1] in _BULLET_MARKS:
        return line[1:].lstrip()
    digits = 0
    while digits < len(line) and line[digits].isdecimal():
        digits += 1
    if digits and line[digits : digits + 1] in (".", ")"):
        return line[digits + 1 :].lstrip()
    return line


def _split_inline(rest: str) -> tuple[str, str] | None:
    """Split the text after "Q:" at its first " A:" into (question, answer), or None.

    The answer label needs whitespace before it ("Q: why? A: because"); each
    whitespace run is scanned once, so this is linear in the line.
    """
    i = 0
    while i < len(rest):
        if not rest[i].isspace():
            i += 1
            continue
        run_end = _skip_space(rest, i)
        after = _after_label(rest, run_end, "a")
        if after is not None:
            return rest[:i], rest[after:]
        i = run_end
    return None


def _parse_questions(text: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    pending: dict[str, object] | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        line, check = _without_check_marks(line)
        line = line.strip()
        if not line:
            continue
        line = _without_bullet(line).strip()
        if not line:
            continue
        q_rest = _after_label(line, 0, "q")
        a_rest = _after_label(line, 0, "a")
        inline = _split_inline(line[q_rest:]) if q_rest is not None else None
        if inline is not None:
            question, answer = inline
            pending = {"question": question.strip(), "answer": answer.strip(), "check_later": check}
            items.append(pending)
        elif a_rest is not None and pending is not None and not pending["answer"]:
            pending["answer"] = line[a_rest:].strip()
            pending["check_later"] = bool(pending["check_later"]) or check
        elif q_rest is not None and line[q_rest:].strip():
            pending = {"question": line[q_rest:].strip(), "answer": "", "check_later": check}
            items.append(pending)
        else:
            pending = {"question": line, "answer": "", "check_later": check}
            items.append(pending)
    if not items:
        raise AnswerError("Write one question per line, optionally as 'Q: ... A: ...'.")
    return _validate_questions(items)


def parse_typed_answer(step: Step, text: str) -> object:
    """Read a typed DM reply as the answer to ``step``, in its stored form.

    "skip" (or "pass", "-", "n/a") returns ``None``, which skips the step.
    Raises :class:`AnswerError` with a message fit to show the user.
    """
    if not isinstance(text, str) or not text.strip():
        raise AnswerError("That reply was empty. Type an answer, or 'skip' to move on.")
    if len(text) > MAX_TYPED:
        raise AnswerError(f"That reply is {len(text):,} characters; I read up to {MAX_TYPED:,}. Please shorten it.")
    if _is_skip(text):
        return None
    if step.kind in ("text", "text_short"):
        return _clean(text, step)
    if step.kind == "scale":
        return _parse_scale(text)
    if step.kind == "yesno":
        return _parse_yesno(text)
    if step.kind == "topics":
        return _parse_topics(text)
    if step.kind == "questions":
        return _parse_questions(text)
    if step.kind == "view":
        return _parse_view(step, text)
    raise AnswerError(f"Unknown step kind {step.kind!r}.")
