"""Weekly summaries: scheduling them through the prompt queue, and what each one says.

* Private: one ``weekly`` prompt per (user, ISO week), its subject a ``weekly_runs`` row, so a restart,
  a moved clock or a second scheduling never sends a week twice. When one falls due, the next week's is
  scheduled first (whether this one is sent, skipped for an empty week, or retried). A sweep at start
  and every few hours schedules users who have none yet, one page of users at a time.
* Cohort: one ``cohort`` prompt per (summary channel, ISO week), the same way. Its prompt row belongs to
  a users row whose id is the server's id (snowflakes never collide with a person's), so the queue's
  per-owner fairness treats a server like one more user.
* The fact-building from store rows mirrors what a PatternsService does for ``/patterns``; both read the
  same answers, and can be folded into one place.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.coach.feedback import feedback_topics
from bot.coach.patterns import focus_topic
from bot.coach.patterns.facts import VOLUME_WINDOW
from bot.coach.patterns.focus import focus_progress_of
from bot.coach.patterns.recurring import stumble_topics
from bot.coach.script import TOPIC_KEYS
from bot.coach.summaries import (
    CohortSummary,
    MemberWeek,
    PrivateSummary,
    SummaryTimeError,
    WeeklyTime,
    WeekReading,
    cohort_summary,
    effective_min_group,
    next_due,
    parse_weekly_time,
    preview_end,
    private_summary_of,
    week_key,
    window_of,
)
from bot.config import Settings
from bot.errors import UserError
from bot.prompts import DropPrompt, PromptQueue
from bot.services.patterns import debrief_fact, debrief_keys  # one reading of stored answers
from bot.store import Prompt, Store
from bot.store.models import from_ts
from bot.store.summaries import SummaryChannel, UserWeekRows

UTC_ZONE = ZoneInfo("UTC")
#: Users read per page by the scheduling sweep.
SWEEP_PAGE = 1000
#: Past this many interviews and debriefs, a weekly summary is computed off the event loop (a few hundred
#: take well under a millisecond; a user with thousands must not hold up anyone's interaction).
INLINE_ROWS = 400


def week_reading(rows: UserWeekRows) -> WeekReading:
    """The store's rows of a week as the summary reads them; a debrief whose reading is not stored yet
    (before the start-up pass reached it) is read from its answers here."""
    debriefs = rows.debriefs
    if rows.unread:
        debriefs = [
            (at, debrief_keys(rows.unread[n])[0] if keys is None else keys) for n, (at, keys) in enumerate(debriefs)
        ]
    return WeekReading(
        interviews=rows.interviews,
        outcomes_at=rows.outcomes_at,
        debriefs=debriefs,  # type: ignore[arg-type]
        feedback=rows.feedback,
        applied=rows.applied,
        applied_recent=rows.applied_recent,
        applied_week=rows.applied_week,
        batches=rows.batches,
    )


def _focus_readings(rows: UserWeekRows) -> list[tuple[datetime, frozenset[str], tuple[str, ...]]]:
    """Each debrief as focus progress reads it: (finished at, stumble keys, topics)."""
    out = []
    for n, ((at, keys), topics) in enumerate(zip(rows.debriefs, rows.topics, strict=True)):
        if keys is None:
            keys, topics = debrief_keys(rows.unread[n])
        out.append((from_ts(at), keys, topics))
    return out  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class WeeklyDue:
    summary: PrivateSummary
    zone: ZoneInfo
    focus_text: str | None


@dataclass(frozen=True, slots=True)
class CohortDue:
    summary: CohortSummary
    channel_id: int
    start: datetime
    end: datetime
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class ChannelView:
    """What ``/server show`` says about one summary channel."""

    channel: SummaryChannel
    when: WeeklyTime
    zone: ZoneInfo
    next_at: datetime
    members: int
    on: bool  # False while the server's features are off (/server disable): nothing is posted


class SummaryService:
    def __init__(self, store: Store, settings: Settings, clock: Clock, queue: PromptQueue) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.min_group = effective_min_group(settings.coaching.min_group)

    # -- private: when ------------------------------------------------------------------------------

    def _default_time(self) -> WeeklyTime:
        when = parse_weekly_time(self.settings.coaching.summary_time)
        assert when is not None
        return when

    def time_of(self, stored: str | None) -> WeeklyTime:
        if stored:
            try:
                when = parse_weekly_time(stored)
            except SummaryTimeError:
                when = None
            if when is not None:
                return when
        return self._default_time()

    async def schedule_user(
        self, user_id: int, after: datetime | None = None, *, revive: bool = False
    ) -> datetime | None:
        """Schedule the user's next weekly summary after ``after`` (default now); None if they are off.

        A week already sent (or skipped) keeps its run key, so the one after it is scheduled instead."""
        user = await self.store.users.get(user_id)
        if user is None or not user.weekly_summary:
            return None
        zone = ZoneInfo(user.timezone) if user.timezone else UTC_ZONE
        when = self.time_of(await self.store.summaries.summary_time(user_id))
        due = next_due(after or self.clock.now(), zone, when)
        now = self.clock.now()
        for _ in range(3):
            async with self.store.transaction() as tx:
                run = await self.store.summaries.weekly_run(tx, user_id, week_key(due, zone))
                scheduled = await self.store.prompts.schedule(
                    tx, kind="weekly", subject_id=run, user_id=user_id, due_at=due, now=now, revive=revive
                )
            if scheduled is not None:
                self.queue.notify(due)
                return due
            due = next_due(due, zone, when)
        return None

    async def schedule_missing(self, page: int = SWEEP_PAGE) -> int:
        """Schedule everyone who has logged something and has no weekly summary waiting, and every summary
        channel of a server that is on with no cohort post waiting (paged). A week's prompt that was
        dropped (the bot was down too long) or failed schedules no next one itself: this does."""
        after, count = 0, 0
        while True:
            users = await self.store.summaries.users_page(after, page)
            for user_id, _zone, _time in users:
                if await self.schedule_user(user_id):
                    count += 1
            if len(users) < page:
                break
            after = users[-1][0]
        after = 0
        while True:
            channels = await self.store.summaries.channels_unscheduled(after, page)
            for channel_id in channels:
                if await self.schedule_channel(channel_id):
                    count += 1
            if len(channels) < page:
                return count
            after = channels[-1]

    async def set_weekly(self, user_id: int, text: str) -> tuple[WeeklyTime | None, datetime | None, ZoneInfo]:
        """``/settings weekly-summary``: a day and time, or off. Bad input changes nothing."""
        try:
            when = parse_weekly_time(text)
        except SummaryTimeError as err:
            raise UserError(str(err)) from None
        user = await self.store.users.ensure(user_id, self.clock.now())
        zone = ZoneInfo(user.timezone) if user.timezone else UTC_ZONE
        await self.store.summaries.set_summary_time(user_id, str(when) if when else None, when is not None)
        async with self.store.transaction() as tx:
            await self.store.summaries.cancel_unsent(tx, user_id, "weekly")
        return when, (await self.schedule_user(user_id, revive=True) if when else None), zone

    # -- private: what -------------------------------------------------------------------------------

    async def compute_private(self, user_id: int, zone: ZoneInfo, end: datetime) -> WeeklyDue | None:
        """The summary of the local week ending at ``end``, from the user's rows up to ``end``; None when
        nothing happened in the week (nothing is sent, and the year is not read)."""
        start, end = window_of(end, zone)
        rows = await self.store.summaries.week_rows(user_id, start, end, end - VOLUME_WINDOW)
        if rows is None:
            return None
        progress = None
        if rows.focus is not None:
            progress = focus_progress_of(focus_topic(rows.focus[0]), rows.focus[1], _focus_readings(rows))
        # Each debrief's stumbles were read once, when it was finished or edited, and stored: what is left is
        # counting and the funnel, well under a millisecond for a year of data, so it runs on the loop
        # unless the user has far more than that.
        if len(rows.debriefs) + len(rows.interviews) <= INLINE_ROWS:
            summary = private_summary_of(week_reading(rows), start, end, progress)
        else:
            summary = await asyncio.to_thread(lambda: private_summary_of(week_reading(rows), start, end, progress))
        if summary.is_empty:
            return None
        return WeeklyDue(summary, zone, rows.focus[0] if rows.focus else None)

    async def weekly_window(self, prompt: Prompt) -> tuple[datetime, datetime, ZoneInfo] | None:
        """The local week a weekly prompt covers (start, end, the user's zone); None if it is gone. The
        sender and the look-up after a crash both use this, so they name the same week."""
        user = await self.store.users.get(prompt.user_id)
        if user is None or await self.store.summaries.weekly_run_of(prompt.subject_id) is None:
            return None
        zone = ZoneInfo(user.timezone) if user.timezone else UTC_ZONE
        start, end = window_of(prompt.late_since or prompt.due_at, zone)
        return start, end, zone

    async def weekly_due(self, prompt: Prompt) -> WeeklyDue:
        """A due weekly prompt: schedule next week's first, then the summary, or DropPrompt when empty."""
        run = await self.store.summaries.weekly_run_of(prompt.subject_id)
        user = await self.store.users.get(prompt.user_id)
        if run is None or user is None or not user.weekly_summary:
            raise DropPrompt("weekly summaries off")
        end = prompt.late_since or prompt.due_at
        await self.schedule_user(prompt.user_id, after=max(end, self.clock.now()))
        zone = ZoneInfo(user.timezone) if user.timezone else UTC_ZONE
        due = await self.compute_private(prompt.user_id, zone, end)
        if due is None:
            raise DropPrompt("nothing this week")
        return due

    # -- cohort: configuration ----------------------------------------------------------------------

    async def add_channel(self, guild_id: int, channel_id: int) -> ChannelView:
        now = self.clock.now()
        await self.store.guilds.ensure(guild_id, now)
        await self.store.summaries.add_channel(channel_id, guild_id, now)
        await self.schedule_channel(channel_id)
        return await self.channel_view(channel_id)

    async def remove_channel(self, guild_id: int, channel_id: int) -> bool:
        channel = await self.store.summaries.channel(channel_id)
        if channel is None or channel.guild_id != guild_id:
            return False
        async with self.store.transaction() as tx:
            await self.store.summaries.cancel_unsent(tx, guild_id, "cohort")
            await self.store.summaries.remove_channel(tx, channel_id)
        for other in await self.store.summaries.channels_of(guild_id):
            await self.schedule_channel(other.channel_id, revive=True)
        return True

    async def set_channel_time(self, guild_id: int, channel_id: int | None, text: str, zone: str) -> ChannelView:
        try:
            when = parse_weekly_time(text)
        except SummaryTimeError as err:
            raise UserError(str(err)) from None
        if when is None:
            raise UserError(
                "To stop a summary, use `/server summary-channel` with `remove`. A time looks like Sun 18:00."
            )
        channel = await self._pick_channel(guild_id, channel_id)
        await self.store.summaries.set_channel_time(channel.channel_id, str(when), zone)
        async with self.store.transaction() as tx:
            await self.store.summaries.cancel_unsent(tx, guild_id, "cohort")
        for other in await self.store.summaries.channels_of(guild_id):
            await self.schedule_channel(other.channel_id, revive=True)
        return await self.channel_view(channel.channel_id)

    async def _pick_channel(self, guild_id: int, channel_id: int | None) -> SummaryChannel:
        channels = await self.store.summaries.channels_of(guild_id)
        if channel_id is not None:
            found = next((c for c in channels if c.channel_id == channel_id), None)
            if found is None:
                raise UserError("That channel has no cohort summary. Set one with `/server summary-channel` first.")
            return found
        if len(channels) == 1:
            return channels[0]
        if not channels:
            raise UserError("This server has no summary channel yet. Set one with `/server summary-channel` first.")
        raise UserError("This server has several summary channels: pick one with the `channel` option.")

    async def schedule_channel(
        self, channel_id: int, after: datetime | None = None, *, revive: bool = False
    ) -> datetime | None:
        channel = await self.store.summaries.channel(channel_id)
        if channel is None or not await self._server_on(channel.guild_id):
            return None
        now = self.clock.now()
        await self.store.users.ensure(channel.guild_id, now)  # the server's own queue owner (see above)
        zone = ZoneInfo(channel.timezone) if channel.timezone else UTC_ZONE
        when = self.time_of(channel.summary_time)
        due = next_due(after or now, zone, when)
        for _ in range(3):
            async with self.store.transaction() as tx:
                run = await self.store.summaries.cohort_run(tx, channel_id, week_key(due, zone))
                scheduled = await self.store.prompts.schedule(
                    tx, kind="cohort", subject_id=run, user_id=channel.guild_id, due_at=due, now=now, revive=revive
                )
            if scheduled is not None:
                self.queue.notify(due)
                return due
            due = next_due(due, zone, when)
        return None

    async def _server_on(self, guild_id: int) -> bool:
        guild = await self.store.guilds.get(guild_id)
        return guild is None or guild.enabled

    async def server_switched(self, guild_id: int, *, on: bool) -> None:
        """``/server disable`` stops the server's cohort posts; turning the server on again restarts them."""
        if not on:
            async with self.store.transaction() as tx:
                await self.store.summaries.cancel_unsent(tx, guild_id, "cohort")
            return
        for channel in await self.store.summaries.channels_of(guild_id):
            await self.schedule_channel(channel.channel_id, revive=True)

    async def share(self, user_id: int, guild_id: int, channel_id: int | None, on: bool) -> list[int]:
        """``/settings share``: count the user in a channel's cohort summary, or in none of this server's."""
        now = self.clock.now()
        await self.store.users.ensure(user_id, now)
        if not on:
            await self.store.summaries.leave(user_id, guild_id)
            return []
        channel = await self._pick_channel(guild_id, channel_id)
        await self.store.summaries.join(user_id, channel.channel_id, guild_id, now)
        return await self.store.summaries.shares_in(user_id, guild_id)

    async def shares_in(self, user_id: int, guild_id: int) -> list[int]:
        return await self.store.summaries.shares_in(user_id, guild_id)

    # -- cohort: views and the post -----------------------------------------------------------------

    async def channel_view(self, channel_id: int) -> ChannelView:
        channel = await self.store.summaries.channel(channel_id)
        assert channel is not None
        zone = ZoneInfo(channel.timezone) if channel.timezone else UTC_ZONE
        when = self.time_of(channel.summary_time)
        return ChannelView(
            channel,
            when,
            zone,
            next_due(self.clock.now(), zone, when),
            await self.store.summaries.member_count(channel_id),
            await self._server_on(channel.guild_id),
        )

    async def server_views(self, guild_id: int) -> list[ChannelView]:
        return [await self.channel_view(c.channel_id) for c in await self.store.summaries.channels_of(guild_id)]

    async def compute_cohort(self, channel_id: int, start: datetime, end: datetime) -> CohortSummary:
        interviews, debriefs, feedback = await self.store.summaries.cohort_rows(channel_id, start, end)
        counts: dict[int, int] = defaultdict(int)
        stages: dict[int, set[str]] = defaultdict(set)
        done: dict[int, int] = defaultdict(int)
        stumbles: dict[int, set[str]] = defaultdict(set)
        critiques: dict[int, set[str]] = defaultdict(set)
        for user_id, stage in interviews:
            counts[user_id] += 1
            stages[user_id].add(stage)
        for user_id, answers in debriefs:
            done[user_id] += 1
            stumbles[user_id] |= {k for k in stumble_topics(debrief_fact(0, end, answers)) if k in TOPIC_KEYS}
        for user_id, text in feedback:
            critiques[user_id] |= feedback_topics(text)
        users = set(counts) | set(done) | set(critiques)
        return cohort_summary(
            (
                MemberWeek(counts[u], done[u], frozenset(stages[u]), frozenset(stumbles[u]), frozenset(critiques[u]))
                for u in users
            ),
            self.min_group,
        )

    async def preview(self, guild_id: int, channel_id: int | None) -> CohortDue:
        """What the channel's next post would say over the seven whole local days up to today: the same
        ``min_group`` suppression as the post, and nothing of today, so an admin who previews again and
        again cannot watch one member's activity arrive."""
        channel = await self._pick_channel(guild_id, channel_id)
        zone = ZoneInfo(channel.timezone) if channel.timezone else UTC_ZONE
        start, end = window_of(preview_end(self.clock.now(), zone), zone)
        return CohortDue(
            await self.compute_cohort(channel.channel_id, start, end), channel.channel_id, start, end, zone
        )

    async def cohort_window(self, prompt: Prompt) -> tuple[int, datetime, datetime, ZoneInfo] | None:
        """The channel and local week a cohort prompt covers; None if the channel's summary is gone."""
        run = await self.store.summaries.cohort_run_of(prompt.subject_id)
        channel = await self.store.summaries.channel(run[0]) if run else None
        if channel is None:
            return None
        zone = ZoneInfo(channel.timezone) if channel.timezone else UTC_ZONE
        start, end = window_of(prompt.late_since or prompt.due_at, zone)
        return channel.channel_id, start, end, zone

    async def cohort_due(self, prompt: Prompt) -> CohortDue:
        run = await self.store.summaries.cohort_run_of(prompt.subject_id)
        if run is None:
            raise DropPrompt("summary channel removed")
        channel = await self.store.summaries.channel(run[0])
        if channel is None:
            raise DropPrompt("summary channel removed")
        if not await self._server_on(channel.guild_id):
            raise DropPrompt("the server's features are off")
        end = prompt.late_since or prompt.due_at
        await self.schedule_channel(channel.channel_id, after=max(end, self.clock.now()))
        zone = ZoneInfo(channel.timezone) if channel.timezone else UTC_ZONE
        start, end = window_of(end, zone)
        summary = await self.compute_cohort(channel.channel_id, start, end)
        if summary.is_empty:
            raise DropPrompt("too few active members this week")
        return CohortDue(summary, channel.channel_id, start, end, zone)

    async def cohort_posted(self, channel_id: int) -> None:
        await self.store.summaries.channel_posted(channel_id, self.clock.now())

    async def cohort_failed(self, channel_id: int, error: str) -> None:
        await self.store.summaries.channel_failed(channel_id, error, self.clock.now())
