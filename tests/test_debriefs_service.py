"""The debrief service with a real store and no Discord: steps, skips, back, stale clicks, finishing,
setting aside, editing, and the texts around it (voice and Discord's limits)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.coach import script
from bot.coach.script import STEPS, AnswerError
from bot.coach.voice import voice_problems
from bot.errors import UserError
from bot.render import debrief as text
from bot.services.debriefs import DebriefService, is_back_word, is_show_word
from bot.store import Store
from bot.ui import ids

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
ALICE, BOB = 1, 2

#: One answer per step, in order, as a person would give them through the components.
FULL = {
    "recall": "Joined five minutes early. Intro round: I talked about my bootcamp capstone.",
    "questions": [
        {"question": "How does a hash map work?", "answer": "Buckets and hashing", "check_later": True},
        {"question": "Tell me about a conflict", "answer": "", "check_later": False},
    ],
    "strong": "The capstone walkthrough: I had numbers ready.",
    "stumbles": "Blanked on LEFT vs INNER join.",
    "prep_gaps": "My conflict story ran long.",
    "soft_side": "Friendly start; I was tense for ten minutes.",
    "confidence": 3,
    "unsure_claims": "yes",
    "showed_interest": "no",
    "topics": ["coding", "nerves"],
    "company": {"view": "not_for_me", "note": "Nice team, but the on-call rota sounded heavy."},
    "one_thing": "Rehearse the conflict story to two minutes",
}


@pytest.fixture
async def env(tmp_path: Path):
    store = await Store.open(tmp_path / "d.db")
    clock = Clock()
    clock.set(NOW)
    for user in (ALICE, BOB):
        await store.users.ensure(user, NOW)
    service = DebriefService(store, clock)
    yield store, clock, service
    await store.close()


async def add_interview(
    store: Store, user: int = ALICE, company: str = "Acme", hours_ago: float = 5, prompt: bool = True
) -> int:
    async with store.transaction() as tx:
        iid = await store.interviews.add(
            tx, user_id=user, company=company, stage="technical", starts_at=NOW - timedelta(hours=hours_ago), now=NOW
        )
        if prompt:
            await store.prompts.schedule(
                tx, kind="debrief", subject_id=iid, user_id=user, due_at=NOW + timedelta(hours=1), now=NOW
            )
    return iid


async def run_through(service: DebriefService, debrief_id: int, answers: dict, user: int = ALICE):
    moved = None
    for step in STEPS:
        value = answers.get(step.key)
        if value is None:
            moved = await service.skip(user, debrief_id, step.key)
        else:
            moved = await service.answer(user, debrief_id, step.key, value)
        assert not moved.stale, step.key
    return moved


# -- starting ---------------------------------------------------------------------------------------


async def test_begin_starts_at_free_recall_and_resumes_the_same_debrief(env):
    store, _, service = env
    iid = await add_interview(store)
    begun = await service.begin(ALICE, iid)
    assert begun.kind == "started" and begun.state.step.key == "recall" and begun.state.answers == {}
    again = await service.begin(ALICE, iid)
    assert again.kind == "resumed" and again.state.debrief.id == begun.state.debrief.id


async def test_late_debriefs_are_welcome_but_not_before_the_interview(env):
    store, _, service = env
    old = await add_interview(store, hours_ago=24 * 40)
    assert (await service.begin(ALICE, old)).kind == "started"
    future = await add_interview(store, company="Later Co", hours_ago=-3)
    with pytest.raises(UserError, match="hasn't happened yet"):
        await service.begin(ALICE, future)


async def test_a_user_cannot_reach_another_users_interview_or_debrief(env):
    store, _, service = env
    iid = await add_interview(store)
    begun = await service.begin(ALICE, iid)
    with pytest.raises(UserError):
        await service.begin(BOB, iid)
    with pytest.raises(UserError):
        await service.load(BOB, begun.state.debrief.id)
    with pytest.raises(UserError):
        await service.answer(BOB, begun.state.debrief.id, "recall", "sneaky")
    assert (await service.load(ALICE, begun.state.debrief.id)).answers == {}


# -- answering --------------------------------------------------------------------------------------


async def test_every_answer_is_stored_the_moment_it_is_given(env, tmp_path):
    store, _, service = env
    iid = await add_interview(store)
    did = (await service.begin(ALICE, iid)).state.debrief.id
    moved = await service.answer(ALICE, did, "recall", "  Arrived early, waited in the lobby.  ")
    assert moved.saved.key == "recall" and moved.state.step.key == "questions" and not moved.finished
    await service.answer(ALICE, did, "questions", FULL["questions"])
    # A second store on the same file (another process, or after a restart) sees it all.
    other = await Store.open(tmp_path / "d.db")
    try:
        debrief = await other.debriefs.get(ALICE, did)
        answers = await other.debriefs.answers(did)
    finally:
        await other.close()
    assert debrief.step == "strong"
    assert answers["recall"].value == "Arrived early, waited in the lobby."
    assert answers["questions"].value[0]["check_later"] is True


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("strong", ""),
        ("strong", "   \n  "),
        ("strong", "🙂🙂 🎉"),
        ("strong", "x" * 4001),
        ("one_thing", "y" * 301),
        ("confidence", 7),
        ("unsure_claims", "purple"),
        ("topics", ["cooking"]),
    ],
)
async def test_a_bad_answer_changes_nothing_and_the_earlier_answer_stays(env, key, bad):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    for step in STEPS:  # answer everything up to `key`, then go back to it once so it has an answer
        if step.key == key:
            break
        await service.answer(ALICE, did, step.key, FULL[step.key])
    await service.answer(ALICE, did, key, FULL[key])
    if script.next_step(key) is not None:
        await service.back(ALICE, did, script.next_step(key).key)
    with pytest.raises(AnswerError) as err:
        await service.answer(ALICE, did, key, bad)
    assert voice_problems(str(err.value)) == []
    state = await service.load(ALICE, did)
    assert state.step.key == key and state.value(key) == FULL[key]


async def test_a_stale_step_changes_nothing(env):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    await service.answer(ALICE, did, "recall", "first")
    stale = await service.answer(ALICE, did, "recall", "overwritten?")
    assert stale.stale and stale.state.step.key == "questions"
    assert (await service.skip(ALICE, did, "recall")).stale
    assert (await service.back(ALICE, did, "strong")).stale
    assert (await service.add_questions(ALICE, did, "questions", [{"question": "ok?"}])).state.step.key == "questions"
    state = await service.load(ALICE, did)
    assert state.value("recall") == "first" and state.step.key == "questions"


async def test_a_double_click_answers_once(env):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    first, second = await asyncio.gather(
        service.answer(ALICE, did, "recall", "one"), service.answer(ALICE, did, "recall", "two")
    )
    assert sorted([first.stale, second.stale]) == [False, True]
    state = await service.load(ALICE, did)
    assert state.step.key == "questions"
    assert state.value("recall") == ("one" if not first.stale else "two")


async def test_skip_back_and_keep(env):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    assert (await service.back(ALICE, did, "recall")).state.step.key == "recall"  # nothing before the first
    skipped = await service.skip(ALICE, did, "recall")
    assert skipped.saved.key == "recall" and not skipped.kept
    assert (await service.load(ALICE, did)).answers["recall"].skipped
    await service.answer(ALICE, did, "questions", FULL["questions"])
    back = await service.back(ALICE, did, "strong")
    assert back.state.step.key == "questions" and back.state.value("questions") == FULL["questions"]
    kept = await service.skip(ALICE, did, "questions")  # skipping an answered step keeps the answer
    assert kept.kept and kept.state.value("questions") == FULL["questions"] and kept.state.step.key == "strong"


async def test_questions_are_added_one_at_a_time_or_rewritten(env):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    await service.skip(ALICE, did, "recall")
    first = {"question": "Q1", "answer": "A1", "check_later": True}
    one = await service.add_questions(ALICE, did, "questions", [first])
    two = await service.add_questions(ALICE, did, "questions", [{"question": "Q2"}])
    assert two.state.step.key == "questions"  # the step stays current until "That's all"
    assert [q["question"] for q in two.state.value("questions")] == ["Q1", "Q2"]
    assert one.state.value("questions")[0] == {"question": "Q1", "answer": "A1", "check_later": True}
    rewritten = await service.add_questions(ALICE, did, "questions", [{"question": "Only this"}], replace=True)
    assert [q["question"] for q in rewritten.state.value("questions")] == ["Only this"]
    with pytest.raises(AnswerError):
        await service.add_questions(ALICE, did, "questions", [{"question": f"q{n}"} for n in range(25)])
    assert len((await service.load(ALICE, did)).value("questions")) == 1


async def test_typed_replies(env):
    store, _, service = env
    did = (await service.begin(ALICE, await add_interview(store))).state.debrief.id
    state = await service.load(ALICE, did)
    moved = await service.answer_typed(ALICE, state, "- arrived\n- intro went fine")
    assert moved.state.value("recall") == "- arrived\n- intro went fine"
    moved = await service.answer_typed(ALICE, moved.state, "Q: What is REST? A: resources [check]\nTell me about you")
    assert [q["question"] for q in moved.state.value("questions")] == ["What is REST?", "Tell me about you"]
    back = await service.back(ALICE, did, "strong")
    again = await service.answer_typed(ALICE, back.state, "what is rest?\nWhy us?")  # added, without duplicates
    assert [q["question"] for q in again.state.value("questions")] == ["What is REST?", "Tell me about you", "Why us?"]
    moved = await service.answer_typed(ALICE, again.state, "skip")
    assert moved.state.answers["strong"].skipped
    for reply in ("Blanked on joins", "pass", "fine"):
        moved = await service.answer_typed(ALICE, moved.state, reply)
    assert moved.state.step.key == "confidence"
    with pytest.raises(AnswerError):
        await service.answer_typed(ALICE, moved.state, "9")
    moved = await service.answer_typed(ALICE, moved.state, "4/5")
    moved = await service.answer_typed(ALICE, moved.state, "not sure")
    moved = await service.answer_typed(ALICE, moved.state, "yes")
    moved = await service.answer_typed(ALICE, moved.state, "coding, nerves")
    assert moved.state.value("confidence") == 4 and moved.state.value("unsure_claims") == "unsure"
    assert moved.state.value("topics") == ["coding", "nerves"]
    with pytest.raises(AnswerError):
        await service.answer_typed(ALICE, moved.state, "🙂")
    moved = await service.answer_typed(ALICE, moved.state, "Not for me: too much on-call")
    assert moved.state.value("company") == {"view": "not_for_me", "note": "too much on-call"}
    assert not moved.finished and moved.state.step.key == "one_thing"
    moved = await service.answer_typed(ALICE, moved.state, "Ask two questions of my own")
    assert moved.finished and moved.state.done


def test_show_and_back_words():
    assert is_show_word("Debrief") and is_show_word(" continue. ") and not is_show_word("debrief went well")
    assert is_back_word("back") and is_back_word("Go back") and not is_back_word("back end questions")


# -- finishing --------------------------------------------------------------------------------------


async def test_finishing_saves_the_summary_marks_debriefed_cancels_the_prompt_and_sets_the_focus(env):
    store, _, service = env
    iid = await add_interview(store)
    async with store.transaction() as tx:
        await store.debriefs.set_focus(tx, ALICE, "An older focus", None, NOW - timedelta(days=3))
    did = (await service.begin(ALICE, iid)).state.debrief.id
    moved = await run_through(service, did, FULL)
    assert moved.finished and moved.state.done and moved.saved.key == "one_thing"
    debrief = await store.debriefs.get(ALICE, did)
    assert debrief.state == "done" and debrief.finished_at == NOW
    assert debrief.summary["strong"] == FULL["strong"] and debrief.summary["topic_keys"] == ["coding", "nerves"]
    assert debrief.summary["check_later"] == ["How does a hash map work?"]
    assert (await store.interviews.get(ALICE, iid)).debriefed_at == NOW
    assert (await store.prompts.find("debrief", iid)).state == "cancelled"
    # A focus the user holds is not replaced silently (issue 12): the card offers the one thing instead.
    [focus] = await store.debriefs.active_focuses(ALICE)
    assert (focus.text, focus.interview_id) == ("An older focus", None)
    assert await store.debriefs.open_for(ALICE) is None
    assert (await service.begin(ALICE, iid)).kind == "done"


async def test_with_no_focus_the_one_thing_becomes_the_focus(env):
    store, _, service = env
    iid = await add_interview(store)
    did = (await service.begin(ALICE, iid)).state.debrief.id
    await run_through(service, did, FULL)
    [focus] = await store.debriefs.active_focuses(ALICE)
    assert (focus.text, focus.interview_id) == (FULL["one_thing"], iid)


async def test_everything_skipped_still_finishes_without_a_focus(env):
    store, _, service = env
    iid = await add_interview(store)
    did = (await service.begin(ALICE, iid)).state.debrief.id
    moved = await run_through(service, did, {})
    assert moved.finished and moved.state.summary().is_empty
    assert await store.debriefs.active_focus(ALICE) is None


# -- one at a time ----------------------------------------------------------------------------------


async def test_another_debrief_asks_first_and_set_aside_keeps_every_answer(env):
    store, _, service = env
    acme, globex = await add_interview(store), await add_interview(store, company="Globex", hours_ago=2)
    first = (await service.begin(ALICE, acme)).state.debrief.id
    await service.answer(ALICE, first, "recall", "Acme recall")
    await service.answer(ALICE, first, "questions", FULL["questions"])
    conflict = await service.begin(ALICE, globex)
    assert conflict.kind == "conflict" and conflict.state.debrief.id == first and conflict.interview.id == globex
    assert await store.debriefs.for_interview(ALICE, globex) is None  # nothing started yet
    begun = await service.set_aside_and_begin(ALICE, first, globex)
    assert begun.kind == "started" and begun.interview.id == globex
    aside = await store.debriefs.get(ALICE, first)
    assert aside.state == "aside" and aside.step == "strong"
    # Back to Acme while Globex is open: asked again.
    assert (await service.begin(ALICE, acme)).kind == "conflict"
    await run_through(service, begun.state.debrief.id, {"recall": "Globex"})
    resumed = await service.begin(ALICE, acme)
    assert resumed.kind == "resumed" and resumed.state.step.key == "strong"
    assert resumed.state.value("recall") == "Acme recall" and resumed.state.value("questions") == FULL["questions"]


async def test_pick_prefers_the_open_one_then_aside_then_the_latest_interview(env):
    store, _, service = env
    assert await service.pick(ALICE) is None
    older = await add_interview(store, company="Older", hours_ago=30)
    newer = await add_interview(store, company="Newer", hours_ago=3)
    await add_interview(store, company="Future", hours_ago=-2)
    picked = await service.pick(ALICE)
    assert picked.kind == "started" and picked.interview.id == newer
    assert (await service.pick(ALICE)).state.debrief.id == picked.state.debrief.id
    await service.set_aside_and_begin(ALICE, picked.state.debrief.id, older)
    await run_through(service, (await store.debriefs.open_for(ALICE)).id, {})
    again = await service.pick(ALICE)
    assert again.kind == "resumed" and again.interview.id == newer
    await run_through(service, again.state.debrief.id, {})
    assert await service.pick(ALICE) is None


# -- editing ----------------------------------------------------------------------------------------


async def test_editing_a_finished_debrief_updates_the_summary_and_the_focus(env):
    store, clock, service = env
    iid = await add_interview(store)
    did = (await service.begin(ALICE, iid)).state.debrief.id
    await run_through(service, did, FULL)
    with pytest.raises(AnswerError):
        await service.edit(ALICE, did, "strong", "  ")
    assert (await service.load(ALICE, did)).value("strong") == FULL["strong"]
    clock.advance(timedelta(days=2))
    state = await service.edit(ALICE, did, "strong", "Explaining trade-offs out loud")
    assert state.summary().strong == "Explaining trade-offs out loud"
    assert (await store.debriefs.get(ALICE, did)).summary["strong"] == "Explaining trade-offs out loud"
    await service.edit(ALICE, did, "one_thing", "Two minutes per story")
    assert (await store.debriefs.active_focus(ALICE)).text == "Two minutes per story"
    cleared = await service.edit(ALICE, did, "topics", None)
    assert cleared.summary().topics == () and cleared.answers["topics"].skipped
    await service.edit(ALICE, did, "one_thing", None)
    assert await store.debriefs.active_focus(ALICE) is None
    await service.edit(ALICE, did, "one_thing", "Back again")
    assert (await store.debriefs.active_focus(ALICE)).text == "Back again"


async def test_edit_needs_a_finished_debrief_of_ones_own(env):
    store, _, service = env
    iid = await add_interview(store)
    with pytest.raises(UserError, match="no debrief yet"):
        await service.for_edit(ALICE, iid, "strong")
    did = (await service.begin(ALICE, iid)).state.debrief.id
    with pytest.raises(UserError, match="still in progress"):
        await service.for_edit(ALICE, iid, "strong")
    with pytest.raises(UserError):
        await service.edit(ALICE, did, "strong", "x")
    await run_through(service, did, FULL)
    assert (await service.for_edit(ALICE, iid, "strong")).done
    with pytest.raises(UserError):
        await service.for_edit(BOB, iid, "strong")
    with pytest.raises(UserError):
        await service.edit(BOB, did, "strong", "not mine")


async def test_show_without_an_interview_is_the_latest_debrief(env):
    store, clock, service = env
    with pytest.raises(UserError):
        await service.of_interview(ALICE, None)
    first = await add_interview(store, company="First")
    did = (await service.begin(ALICE, first)).state.debrief.id
    await run_through(service, did, FULL)
    clock.advance(timedelta(hours=1))
    second = await add_interview(store, company="Second", hours_ago=1)
    await service.begin(ALICE, second)
    assert (await service.of_interview(ALICE, None)).interview.company == "Second"
    assert (await service.of_interview(ALICE, first)).done


# -- the texts ---------------------------------------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # ../shared beside the checkout


def _seed_texts() -> list[str]:
    return [f.read_text(encoding="utf-8", errors="replace") for f in sorted(SEEDS.glob("*.txt"))]


def _words(value: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", value.lower().replace("\u2019", "'"))


def _all_render_strings(state_like) -> list[str]:
    interview, summary = state_like
    strings = list(text.all_texts())
    for step in STEPS:
        strings.append(text.step_message(step, FULL[step.key], interview, BERLIN, NOW))
        strings.append(text.step_message(step, None, interview, BERLIN, NOW, note=text.RESUMED, edit=True))
        strings.append(text.saved_line(step, FULL[step.key]))
        strings.append(text.saved_line(step, None, skipped=True))
        strings.append(text.saved_line(step, FULL[step.key], kept=True))
    strings.append(text.conflict_text(interview, STEPS[3], interview, BERLIN, NOW))
    strings.extend(text.choice_labels(interview, interview))
    strings.append(text.already_done(interview, NOW, BERLIN, NOW))
    for card in text.cards(interview, summary, BERLIN, NOW, finished_at=NOW, note=text.in_progress_note(STEPS[2])):
        strings.extend([card.title, card.description, card.footer, *(n for n, _ in card.fields)])
    [empty] = text.cards(interview, script.summarise({}), BERLIN, NOW)
    strings.extend(v for _, v in empty.fields)
    return strings


async def test_the_bots_own_texts_keep_the_voice(env):
    store, _, _ = env
    iid = await add_interview(store)
    interview = await store.interviews.get(ALICE, iid)
    strings = _all_render_strings((interview, script.summarise(FULL)))
    assert len(strings) > 80
    problems = {s: voice_problems(s) for s in strings if voice_problems(s)}
    assert problems == {}


async def test_the_bots_own_texts_copy_no_seven_words_from_the_articles(env):
    store, _, _ = env
    seeds = _seed_texts()
    if not seeds:
        pytest.skip("the seed articles are not here")
    interview = await store.interviews.get(ALICE, await add_interview(store))
    strings = [
        *text.all_texts(),
        text.conflict_text(interview, STEPS[3], interview, BERLIN, NOW),
        text.already_done(interview, NOW, BERLIN, NOW),
    ]
    corpus = " " + " ".join(" ".join(_words(s)) for s in strings) + " "
    copied = set()
    for seed in seeds:
        seed_words = _words(seed)
        for i in range(len(seed_words) - 6):
            run = " ".join(seed_words[i : i + 7])
            if f" {run} " in corpus:
                copied.add(run)
    assert copied == set()


async def test_texts_fit_discords_limits_however_long_the_answers(env):
    store, _, _ = env
    async with store.transaction() as tx:
        iid = await store.interviews.add(
            tx,
            user_id=ALICE,
            company="C" * 100,
            role="R" * 100,
            stage="technical",
            starts_at=NOW - timedelta(hours=2),
            now=NOW,
        )
    interview = await store.interviews.get(ALICE, iid)
    long = {
        **FULL,
        "recall": "r" * 4000,
        "strong": "s" * 4000,
        "stumbles": "t" * 4000,
        "prep_gaps": "p" * 4000,
        "soft_side": "h" * 4000,
        "one_thing": "o" * 300,
        "questions": [{"question": "q" * 1000, "answer": "a" * 4000, "check_later": True}] * 25,
    }
    summary = script.summarise(long)
    cards = text.cards(interview, summary, BERLIN, NOW, finished_at=NOW, note="n" * 1000)
    assert len(cards) > 1  # the whole answers take several messages
    for card in cards:
        assert card.total() <= 6000 and len(card.fields) <= 25
        assert len(card.title) <= 256 and len(card.description) <= 4096 and len(card.footer) <= 2048
        assert all(len(name) <= 256 and 0 < len(value) <= 1024 for name, value in card.fields)
    shown = [value for card in cards for name, value in card.fields if name.startswith("Where you stumbled")]
    assert "".join(shown) == "t" * 4000  # whole, not cut
    for step in STEPS:
        message = text.step_message(step, long[step.key], interview, BERLIN, NOW, note=text.STARTED)
        assert len(message) <= 2000
        assert len(text.saved_line(step, long[step.key])) <= 2000
    assert len(text.stale_modal_note("w" * 4000)) <= 2000
    first, second = text.choice_labels(interview, interview)
    assert len(first) <= 80 and len(second) <= 80


def test_custom_ids_fit_and_match_their_templates():
    big = 2**63 - 1
    for action in ("ans", "write", "addq", "list", "next", "skip", "back"):
        for edit in (False, True):
            custom_id = ids.step_button(action, big, len(STEPS) - 1, "unsure" if action == "ans" else None, edit)
            assert len(custom_id) <= 100 and re.fullmatch(ids.STEP_BUTTON, custom_id)
    for edit in (False, True):
        assert re.fullmatch(ids.TOPICS_SELECT, ids.topics_select(big, 9, edit))
        for kind in ("text", "addq", "list"):
            custom_id = ids.step_modal(kind, big, 10, edit)
            assert len(custom_id) <= 100 and re.fullmatch(ids.STEP_MODAL, custom_id)
    assert re.fullmatch(ids.CHOICE_BUTTON, ids.choice_button("aside", big, big))
    # The templates don't overlap: a button's id never matches the select's, and so on.
    assert not re.fullmatch(ids.STEP_BUTTON, ids.topics_select(1, 9))
    assert not re.fullmatch(ids.TOPICS_SELECT, ids.step_button("ans", 1, 6, "3"))
    assert not re.fullmatch(ids.STEP_BUTTON, ids.choice_button("keep", 1, 2))


def test_every_step_fits_the_components():
    for step in STEPS:
        assert len(step.title) <= 45  # a form's title
        assert len(step.placeholder) <= 100
        assert step.max_len <= 4000
    assert len(script.TOPICS) <= 25
    for label in (
        text.ANSWER_LABEL,
        text.QUESTION_LABEL,
        text.QUESTION_ANSWER_LABEL,
        text.CHECK_LATER_LABEL,
        text.LIST_LABEL,
        text.QUESTION_MODAL_TITLE,
        text.LIST_MODAL_TITLE,
    ):
        assert len(label) <= 45


async def test_the_services_messages_keep_the_voice(env):
    store, _, service = env
    iid = await add_interview(store)
    future = await add_interview(store, company="Later Co", hours_ago=-3)
    attempts = [
        service.of_interview(ALICE, None),
        service.of_interview(ALICE, iid),
        service.begin(ALICE, future),
        service.begin(BOB, iid),
        service.load(ALICE, 999),
        service.for_edit(ALICE, iid, "strong"),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(UserError) as err:
            await attempt
        messages.append(str(err.value))
    did = (await service.begin(ALICE, iid)).state.debrief.id
    for attempt in (
        service.for_edit(ALICE, iid, "strong"),
        service.edit(ALICE, did, "strong", "x"),
        service.add_questions(ALICE, did, "strong", []),
    ):
        with pytest.raises(UserError) as err:
            await attempt
        messages.append(str(err.value))
    assert len(messages) == 9
    assert {m: voice_problems(m) for m in messages if voice_problems(m)} == {}
