"""The outcome service on a real store, without Discord: outcomes, check-ins, feedback, applications.

Also checks that every text in ``bot.render.outcomes`` is in the bot's voice.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.coach.feedback import CONTROL_CHOICES, feedback_topics, similarity
from bot.coach.reset import NEXT_ACTIONS, RESET_LIST
from bot.coach.stages import RESULT_KEYS
from bot.coach.text import TextError
from bot.coach.voice import voice_problems
from bot.config import Settings
from bot.errors import UserError
from bot.prompts import PromptQueue
from bot.render import outcomes as render
from bot.services.feedback import FeedbackService, week_start
from bot.services.interviews import InterviewService
from bot.services.outcomes import OutcomeService
from bot.services.profile import profile_of
from bot.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 24 November 2026, 13:00 in Berlin.
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ALICE, BOB = 1, 2


@dataclasses.dataclass
class Env:
    store: Store
    clock: Clock
    settings: Settings
    interviews: InterviewService
    outcomes: OutcomeService
    feedback: FeedbackService

    async def profile(self, user_id: int = ALICE):
        return profile_of(await self.store.users.ensure(user_id, self.clock.now()), self.settings)

    async def log(
        self,
        company: str = "Acme",
        *,
        user_id: int = ALICE,
        ago: timedelta = timedelta(hours=5),
        stage: str = "technical",
        role: str | None = None,
    ) -> int:
        logged = await self.interviews.log(
            await self.profile(user_id), company=company, stage=stage, starts_at=self.clock.now() - ago, role=role
        )
        return logged.interview.id


@pytest.fixture
async def env(tmp_path):
    store = await Store.open(tmp_path / "d.db")
    clock = Clock()
    clock.set(NOW)
    base = Settings()
    settings = dataclasses.replace(base, coaching=dataclasses.replace(base.coaching, reset_window=timedelta(hours=14)))
    # A real queue, not started: notify() only wakes a running dispatcher.
    queue = PromptQueue(
        store,
        AsyncIOScheduler(timezone="UTC"),
        clock,
        rate=40,
        batch=10,
        max_lateness=timedelta(hours=12),
        retry_initial=timedelta(minutes=5),
        retry_max=timedelta(hours=1),
    )
    for user in (ALICE, BOB):
        await store.users.ensure(user, NOW)
        await store.users.set_timezone(user, "Europe/Berlin")
    yield Env(
        store,
        clock,
        settings,
        InterviewService(store, settings, clock, queue),
        OutcomeService(store, settings, clock, queue),
        FeedbackService(store, clock),
    )
    await store.close()


async def counts(store: Store) -> tuple[int, int, int]:
    rows = [await store.db.fetchone(f"SELECT COUNT(*) FROM {t}") for t in ("feedback", "applications", "next_steps")]
    return tuple(r[0] for r in rows)  # type: ignore[return-value]


# -- outcomes and the check-in ----------------------------------------------------------------------


async def test_rejection_schedules_one_checkin_at_the_end_of_the_window_out_of_quiet_hours(env):
    iid = await env.log()
    assert (await env.store.prompts.find("ghosting", iid)).state == "pending"
    recorded = await env.outcomes.record(await env.profile(), iid, "rejected")
    # 13:00 Berlin + 14 h = 03:00, inside the default quiet hours (22:00-08:00): moved to 08:00 Berlin.
    expected = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert recorded.checkin_due == expected
    assert recorded.interview.outcome == "rejected" and recorded.interview.outcome_at == NOW
    prompt = await env.store.prompts.find("checkin", iid)
    assert (prompt.state, prompt.due_at, prompt.user_id) == ("pending", expected, ALICE)
    assert (await env.store.prompts.find("ghosting", iid)).state == "cancelled"
    assert (await env.store.db.fetchone("SELECT COUNT(*) FROM prompts WHERE kind = 'checkin'"))[0] == 1


async def test_the_users_own_window_is_used(env):
    await env.store.users.set_reset_window(ALICE, timedelta(hours=4))
    iid = await env.log()
    recorded = await env.outcomes.record(await env.profile(), iid, "rejected")
    # 17:00 Berlin, outside quiet hours (the clock runs on from NOW, so allow the test's own run time)
    assert timedelta(0) <= recorded.checkin_due - (NOW + timedelta(hours=4)) < timedelta(seconds=5)
    assert (await env.store.prompts.find("checkin", iid)).due_at == recorded.checkin_due


async def test_the_window_honours_custom_quiet_hours(env):
    await env.store.users.set_reset_window(ALICE, timedelta(hours=6))
    await env.store.users.set_quiet_hours(ALICE, time(18, 0), time(20, 0))
    iid = await env.log()
    recorded = await env.outcomes.record(await env.profile(), iid, "rejected")
    assert recorded.checkin_due == datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 19:00 Berlin -> 20:00 Berlin


async def test_recording_the_rejection_again_neither_moves_nor_adds_a_checkin(env):
    iid = await env.log()
    first = await env.outcomes.record(await env.profile(), iid, "rejected")
    env.clock.advance(timedelta(hours=2))
    again = await env.outcomes.record(await env.profile(), iid, "rejected")
    assert again.repeat and again.previous == "rejected"
    assert again.checkin_due == first.checkin_due
    assert again.interview.outcome_at == NOW  # the first recording's time is kept
    assert (await env.store.prompts.find("checkin", iid)).due_at == first.checkin_due


async def test_no_checkin_when_checkins_are_off(env):
    await env.store.users.set_switch(ALICE, "checkins", False)
    iid = await env.log()
    recorded = await env.outcomes.record(await env.profile(), iid, "rejected")
    assert recorded.checkin_due is None and not recorded.checkins_on
    assert await env.store.prompts.find("checkin", iid) is None
    assert (await env.store.prompts.find("ghosting", iid)).state == "cancelled"


@pytest.mark.parametrize("result", ["advanced", "offer", "ghosted", "withdrew"])
async def test_other_outcomes_cancel_the_ghosting_nudge_and_plan_no_checkin(env, result):
    iid = await env.log()
    recorded = await env.outcomes.record(await env.profile(), iid, result)
    assert recorded.interview.outcome == result and recorded.checkin_due is None
    assert (await env.store.prompts.find("ghosting", iid)).state == "cancelled"
    assert await env.store.prompts.find("checkin", iid) is None


async def test_bad_input_changes_nothing(env):
    iid = await env.log()
    with pytest.raises(UserError):
        await env.outcomes.record(await env.profile(), iid, "hired")
    with pytest.raises(UserError, match="among yours"):
        await env.outcomes.record(await env.profile(BOB), iid, "rejected")
    with pytest.raises(UserError, match="among yours"):
        await env.outcomes.record(await env.profile(), 9999, "rejected")
    interview = await env.store.interviews.get(ALICE, iid)
    assert interview.outcome is None
    assert (await env.store.prompts.find("ghosting", iid)).state == "pending"
    assert await env.store.prompts.find("checkin", iid) is None


async def test_rounds_with_one_company_are_chained(env):
    first = await env.log("Acme", ago=timedelta(days=7), stage="recruiter_screen")
    await env.outcomes.record(await env.profile(), first, "advanced")
    second = await env.log("acme", ago=timedelta(hours=5), stage="technical")
    assert (await env.store.interviews.get(ALICE, second)).previous_id == first
    recorded = await env.outcomes.record(await env.profile(), second, "rejected")
    assert [r.id for r in recorded.rounds] == [first, second]
    line = render.chain(recorded.rounds, BERLIN)
    assert line == "acme: Recruiter screen (Tue 17 Nov) → Technical (Tue 24 Nov), rejected"
    assert await env.store.interviews.open_opportunities(ALICE) == 0


async def test_a_later_round_means_the_earlier_one_is_not_ghosted(env):
    first = await env.log("Acme", ago=timedelta(days=7))
    assert not await env.outcomes.has_later_round(await env.store.interviews.get(ALICE, first))
    await env.log("Acme", ago=timedelta(hours=1))
    assert await env.outcomes.has_later_round(await env.store.interviews.get(ALICE, first))


async def test_checkin_again_brings_the_sent_checkin_back_tomorrow_morning(env):
    iid = await env.log()
    await env.outcomes.record(await env.profile(), iid, "rejected")
    env.clock.set(datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    [claimed] = [p for p in await env.store.prompts.claim_due(env.clock.now(), 10) if p.kind == "checkin"]
    await env.store.prompts.mark_sent(claimed.id, 1234, env.clock.now())
    due = await env.outcomes.checkin_again(await env.profile(), claimed.id, iid)
    assert due == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 Berlin the next day
    prompt = await env.store.prompts.get(claimed.id)
    assert (prompt.state, prompt.due_at, prompt.snoozes) == ("pending", due, 1)
    with pytest.raises(UserError):
        await env.outcomes.checkin_again(await env.profile(BOB), claimed.id, iid)
    await env.store.users.set_switch(ALICE, "checkins", False)
    with pytest.raises(UserError, match="Check-ins are off"):
        await env.outcomes.checkin_again(await env.profile(), claimed.id, iid)


async def test_next_step_is_recorded_for_own_interviews_only(env):
    iid = await env.log()
    await env.outcomes.choose_next_step(ALICE, iid, "feedback_request")
    [step] = await env.store.next_steps.for_user(ALICE)
    assert (step.action, step.interview_id) == ("feedback_request", iid)
    with pytest.raises(UserError):
        await env.outcomes.choose_next_step(ALICE, iid, "nap")
    with pytest.raises(UserError):
        await env.outcomes.choose_next_step(BOB, iid, "talk")
    assert len(await env.store.next_steps.for_user(ALICE)) == 1


# -- feedback -----------------------------------------------------------------------------------------


async def test_feedback_is_saved_and_similar_earlier_feedback_counted(env):
    acme = await env.log("Acme")
    globex = await env.log("Globex")
    first = await env.feedback.add_feedback(ALICE, acme, "We wanted more depth on system design trade-offs.")
    assert first.similar == [] and first.feedback.company == "Acme"
    same_interview = await env.feedback.add_feedback(ALICE, acme, "Also: the system design part ran long.")
    assert same_interview.similar == []  # a second note on the same interview is not a second opinion
    second = await env.feedback.add_feedback(ALICE, globex, "The architecture discussion lacked depth on scaling.")
    assert {f.interview_id for f in second.similar} == {acme}
    assert second.shared_topics == ["system design"]
    unrelated = await env.feedback.add_feedback(ALICE, globex, "The team went with someone with more years in fintech.")
    assert unrelated.similar == []


async def test_feedback_bad_input_changes_nothing(env):
    iid = await env.log()
    with pytest.raises(TextError, match="limit is 4,000"):
        await env.feedback.add_feedback(ALICE, iid, "x" * 4001)
    with pytest.raises(TextError):
        await env.feedback.add_feedback(ALICE, iid, "   ")
    with pytest.raises(UserError):
        await env.feedback.add_feedback(BOB, iid, "mine now")
    assert await counts(env.store) == (0, 0, 0)


async def test_control_choice_only_by_the_owner(env):
    added = await env.feedback.add_feedback(ALICE, await env.log(), "They hired internally.")
    with pytest.raises(UserError):
        await env.feedback.set_control(BOB, added.feedback.id, "outside_control")
    with pytest.raises(UserError):
        await env.feedback.set_control(ALICE, added.feedback.id, "maybe")
    assert (await env.feedback.set_control(ALICE, added.feedback.id, "outside_control")).control == "outside_control"


async def test_feedback_target_prefers_the_latest_rejection(env):
    with pytest.raises(UserError, match="haven't logged"):
        await env.feedback.feedback_target(ALICE, None)
    rejected = await env.log("Acme", ago=timedelta(days=2))
    await env.outcomes.record(await env.profile(), rejected, "rejected")
    await env.log("Globex", ago=timedelta(hours=2))
    assert (await env.feedback.feedback_target(ALICE, None)).id == rejected
    with pytest.raises(UserError):
        await env.feedback.feedback_target(BOB, rejected)


def test_similarity_is_conservative():
    assert feedback_topics("Needed clearer communication of your approach") == {"communication"}
    assert feedback_topics("They liked the history of the project") == set()  # "story" inside "history"
    assert similarity("Great energy, we went another way", "Thanks, we went with another candidate")[0] is False
    alike, topics = similarity("weak on algorithms", "complexity analysis was shaky")
    assert alike and topics == {"algorithms"}
    alike, topics = similarity("kubernetes operators postgres replication", "postgres replication kubernetes tuning")
    assert alike and topics == set()


# -- applications -------------------------------------------------------------------------------------


async def test_applications_week_total_runs_monday_to_sunday_local(env):
    profile = await env.profile()
    assert week_start(NOW, profile) == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # Mon 00:00 Berlin
    await env.store.applications.add(ALICE, 5, datetime(2026, 11, 22, 22, 30, tzinfo=UTC))  # Sun 23:30 Berlin
    assert (await env.feedback.log_applications(profile, 2)).week_total == 2
    assert (await env.feedback.log_applications(profile, 3)).week_total == 5
    assert (await env.feedback.log_applications(await env.profile(BOB), 1)).week_total == 1
    for bad in (0, -1, 201):
        with pytest.raises(UserError):
            await env.feedback.log_applications(profile, bad)
    assert await env.store.applications.total(ALICE, week_start(NOW, profile)) == 5


# -- the voice ----------------------------------------------------------------------------------------


async def test_every_text_is_in_the_voice(env):
    acme = await env.log("Acme", role="Backend engineer")
    interview = await env.store.interviews.get(ALICE, acme)
    texts: list[str] = []
    for result in RESULT_KEYS:
        recorded = await env.outcomes.record(await env.profile(), acme, result)
        for previous in (None, result, "advanced"):
            for checkins_on, checkin_at, zone_set in (
                (True, "tomorrow 08:00", True),
                (False, None, True),
                (True, "tomorrow 08:00", False),
            ):
                texts.append(
                    render.outcome_reply(
                        recorded.interview,
                        recorded.rounds,
                        BERLIN,
                        previous=previous,
                        checkin_at=checkin_at,
                        checkins_on=checkins_on,
                        zone_set=zone_set,
                    )
                )
        texts.append(render.outcome_chosen(result))
    for n in (0, 1, 3):
        texts.append(render.checkin_prompt(interview, n, None))
    texts.append(render.checkin_prompt(interview, 1, timedelta(hours=3)))
    texts.append(render.ghosting_prompt(interview, NOW + timedelta(days=10), None))
    texts += [render.next_step_reply(a.key, interview) for a in NEXT_ACTIONS if a.key != "feedback_request"]
    texts += [render.step_chosen(a.key) for a in NEXT_ACTIONS]
    texts += [render.control_chosen(c.key) for c in CONTROL_CHOICES]
    texts.append(render.checking_in_again("tomorrow 08:00"))
    texts += render.feedback_request_reply(interview, None)
    texts += render.feedback_request_reply(interview, "Alice")
    added = await env.feedback.add_feedback(ALICE, acme, "More depth on system design, please")
    texts.append(render.feedback_saved(interview, [], []))
    texts.append(render.feedback_saved(interview, [added.feedback], ["system design"]))
    texts.append(render.feedback_saved(interview, [added.feedback], []))
    texts += render.feedback_lines([added.feedback])
    texts.append(render.applications_logged(1, 1))
    texts.append(render.applications_logged(3, 12))
    texts += [label for _, label in render.OUTCOME_BUTTONS]
    texts += [render.CHECK_IN_AGAIN, render.FEEDBACK_BUTTON, render.NEXT_STEP_PLACEHOLDER, render.GONE]
    for text in texts:
        assert voice_problems(text) == [], text
        assert len(text) <= 2000, text


def test_the_checkin_carries_the_pipeline_note_and_leaves_the_reset_list_to_the_rejection_reply():
    from bot.store import Interview

    interview = Interview(
        1, ALICE, "Acme", None, "technical", NOW, 60, "command", None, None, "rejected", NOW, None, NOW
    )
    thin = render.checkin_prompt(interview, 1, None)
    assert "Acme" in thin and "thin pipeline" in thin and "/applications log" in thin
    assert not any(line in thin for line in RESET_LIST)  # it came with the rejection reply (issue 11.8)
    assert "thin pipeline" not in render.checkin_prompt(interview, 2, None)


def test_feedback_lines_are_short_and_show_the_control_choice():
    from bot.store.feedback import Feedback

    rows = [
        Feedback(1, 1, ALICE, "Needs   more\nstructure " + "x" * 300, "within_control", NOW, "Acme"),
        Feedback(2, 1, ALICE, "Hired internally", None, NOW, "Acme"),
    ]
    first, second = render.feedback_lines(rows)
    assert first.startswith("  ↳ Feedback (something i can work on): “Needs more structure") and first.endswith("…”")
    assert len(first) < 220
    assert second == "  ↳ Feedback: “Hired internally”"
