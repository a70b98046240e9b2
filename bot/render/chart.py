"""The /patterns chart: stumbles by topic per week beside the funnel, as PNG bytes.

Three pieces, so the drawing never shares the bot's GIL:

- :func:`chart_data` turns the engine's :class:`~bot.coach.patterns.Patterns` into :class:`ChartData`,
  plain tuples of labels and counts (cheap, on the loop);
- :func:`draw_chart` draws that with matplotlib's Agg backend (synchronous, a pure function of its
  input), kept cheap: two axes placed by hand, a handful of fixed ticks, titles as figure text, no
  layout pass;
- :class:`ChartWorker` runs :func:`draw_chart` in one worker *process* (created on first use,
  matplotlib imported by its initializer, shut down with the bot). A crashed worker is replaced on the
  next draw, and the draw that saw the crash returns None, so the caller answers in words instead.
  Finished PNGs are kept per user for the same input (a bounded cache), so asking again draws nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import multiprocessing
import os
import pickle
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

from bot.coach.patterns import Patterns

log = logging.getLogger(__name__)

CHART_NAME = "patterns.png"
FUNNEL_LABELS = {
    "applications": "Applications",
    "first_interviews": "First interviews",
    "later_rounds": "Later rounds",
    "offers": "Offers",
}
#: Topics drawn over time, at most (the strongest); more would be noise in a small picture.
CHART_TOPICS = 5
#: Tick labels on the weeks axis, at most: enough to read, few enough to stay cheap.
X_TICKS = 6
#: Users whose last chart is kept; the oldest is dropped first.
CACHE_USERS = 256
COLOUR = "#5B7DB1"


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the chart shows, as plain data (it crosses to the worker process by pickling)."""

    weeks: tuple[int, ...]  # x: weeks before now, 0 = this week
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (topic label, stumbles per week)
    funnel: tuple[tuple[str, int], ...]  # (stage label, count), top of the funnel first

    def digest(self) -> str:
        return hashlib.blake2b(pickle.dumps(self, protocol=5), digest_size=16).hexdigest()


def chart_data(p: Patterns, now: datetime) -> ChartData:
    """Stumbles per topic per week for the strongest topics, and the funnel's counts."""
    topics = [r for r in p.stumbles if r.kind == "topic"][:CHART_TOPICS]
    sightings = [s.at for r in topics for s in r.sightings]
    funnel = tuple((FUNNEL_LABELS.get(s.key, s.key), s.count) for s in p.funnel.stages)
    if not sightings:
        return ChartData((), (), funnel)
    weeks = max(1, (now - min(sightings)).days // 7 + 1)
    series = []
    for r in topics:
        counts = [0] * weeks
        for s in r.sightings:
            counts[weeks - 1 - min(weeks - 1, max(0, (now - s.at).days // 7))] += 1
        series.append((r.label, tuple(counts)))
    return ChartData(tuple(range(-weeks + 1, 1)), tuple(series), funnel)


def _week_ticks(weeks: tuple[int, ...]) -> list[int]:
    """At most :data:`X_TICKS` whole weeks, always including this week."""
    if not weeks:
        return [0]
    step = max(1, -(-len(weeks) // X_TICKS))
    return sorted({w for w in weeks if w % step == 0} | {0})


def _count_ticks(top: int) -> list[int]:
    step = max(1, -(-top // 3))
    return list(range(0, top + step, step))


def draw_chart(data: ChartData) -> bytes:
    """The chart as PNG bytes. Synchronous and CPU-bound: run it in :class:`ChartWorker`, not on the loop."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, NullLocator

    fig = Figure(figsize=(7.5, 3), dpi=80)
    over_time = fig.add_axes((0.05, 0.16, 0.52, 0.7))
    funnel_ax = fig.add_axes((0.76, 0.16, 0.21, 0.7))
    fig.text(0.05, 0.92, "Stumbles by topic, per week", fontsize=9)
    fig.text(0.76, 0.92, "Your funnel", fontsize=9)
    for ax in (over_time, funnel_ax):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7, length=2)
    if data.series:
        top = 1
        for label, counts in data.series:
            over_time.plot(data.weeks, counts, linewidth=1.5, label=label)
            top = max(top, *counts)
        over_time.legend(fontsize=7, loc="upper left", frameon=False)
        over_time.set_xlim(data.weeks[0] - 0.2, 0.2)
        over_time.set_ylim(0, top + 0.5)
        over_time.xaxis.set_major_locator(FixedLocator(_week_ticks(data.weeks)))
        over_time.yaxis.set_major_locator(FixedLocator(_count_ticks(top)))
        fig.text(0.31, 0.03, "weeks ago", fontsize=7, ha="center")
    else:
        over_time.xaxis.set_major_locator(NullLocator())
        over_time.yaxis.set_major_locator(NullLocator())
        over_time.text(0.5, 0.5, "No stumbles noted yet", ha="center", va="center", transform=over_time.transAxes)
    labels = [f"{label} {count}" for label, count in data.funnel][::-1]  # the count in the label: one text
    counts = [count for _label, count in data.funnel][::-1]
    positions = list(range(len(labels)))
    funnel_ax.barh(positions, counts, color=COLOUR)
    funnel_ax.yaxis.set_major_locator(FixedLocator(positions))
    funnel_ax.set_yticklabels(labels)
    funnel_ax.xaxis.set_major_locator(NullLocator())
    funnel_ax.set_xlim(0, max([*counts, 1]))
    out = io.BytesIO()
    # Fast compression: a few kilobytes more, a few tens of milliseconds less.
    fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()


def _warm() -> None:
    """The worker's initializer: matplotlib imported and its fonts loaded before the first request."""
    draw_chart(ChartData((-1, 0), (("warm-up", (0, 1)),), (("Applications", 1),)))


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class ChartWorker:
    """One worker process that draws charts, created on first use; see the module's docstring."""

    def __init__(self, cache_users: int = CACHE_USERS, draw: Callable[[ChartData], bytes] = draw_chart) -> None:
        """``draw`` is what the worker runs for each chart: :func:`draw_chart`, or (a test seam) any
        module-level function of the same shape, e.g. one that sleeps to make drawing slow."""
        self._draw = draw
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[int, tuple[str, bytes]] = OrderedDict()
        self._cache_users = cache_users
        self.draws = 0  # charts actually drawn (not served from the cache)
        self.restarts = 0  # workers replaced after a crash

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_warm)
        return self._pool

    async def png(self, user_id: int, data: ChartData) -> bytes | None:
        """The chart for ``user_id`` as PNG bytes, or None if the worker died drawing it (the next call
        starts a new one). The same input for the same user is served from the cache."""
        digest = data.digest()
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] == digest:
            self._cache.move_to_end(user_id)
            return cached[1]
        pool = self._executor()
        try:
            png = await self._run(pool, self._draw, data)
        except BrokenProcessPool:
            log.warning("the chart worker died; starting a new one on the next chart")
            if self._pool is pool:
                self._pool = None
                self.restarts += 1
            pool.shutdown(wait=False, cancel_futures=True)
            return None
        self.draws += 1
        self._cache[user_id] = (digest, png)
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._cache_users:
            self._cache.popitem(last=False)
        return png

    def __contains__(self, user_id: object) -> bool:
        """Whether a chart of ``user_id`` is held in the cache."""
        return user_id in self._cache

    def forget(self, user_id: int) -> None:
        """Drop a user's cached chart (their data is being deleted)."""
        self._cache.pop(user_id, None)

    @staticmethod
    async def _run(pool: ProcessPoolExecutor, fn, *args):
        # Submitted from a thread: the first submit starts the worker (and the fork server), which waits
        # on other processes for a few hundred milliseconds; the loop must not wait with it.
        future = await asyncio.to_thread(pool.submit, fn, *args)
        return await asyncio.wrap_future(future)

    async def worker_pid(self) -> int:
        """The worker's process id (starting it if need be), for operators and tests."""
        return await self._run(self._executor(), os.getpid)

    def close(self) -> None:
        """Stop the worker (at bot shutdown); a later draw would start a new one."""
        pool, self._pool = self._pool, None
        self._cache.clear()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
