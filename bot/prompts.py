"""The prompt queue's dispatcher: sleep until the next due prompt, claim, send once, mark sent.

* The store is the queue (``bot.store.prompts``). Memory holds one claimed batch at most, never the
  pending rows, so it does not grow with the number of prompts.
* One APScheduler ``date`` job is armed for the earliest pending due time. The job only *wakes* the
  drain loop; the loop clears its wake-up flag before it queries, so a prompt added during a query is
  never missed. A sooner prompt re-arms the job at once.
* Claims are atomic (one ``UPDATE … RETURNING``). Each send carries a nonce derived from the prompt id,
  and a prompt found still claimed at start (the process died mid-send) is first looked for in the
  user's DMs, so a crash never doubles a prompt and never loses one.
* Sends are paced below Discord's global rate limit: by the bot's request pacer (``bot.delivery``),
  which counts every request a send makes, or, given a ``rate``, here per prompt. A failed send is
  retried with backoff, never in a tight loop.
* Fair across users: a claim takes every user's oldest due prompt before anyone's second, and a user
  never has more than ``per_user`` prompts in flight. A DM channel drains at about one message a
  second, so without this one user's backlog of 150 held everyone else's prompts back for minutes.
* Bulk kinds (the weekly DM and the cohort post, each drawing or computing a summary) may take only
  ``bulk_slots`` of the ``concurrency`` send slots (a quarter by default): they are claimed apart, a
  batch at a time, and wait in memory (claimed, so still exactly once and recovered after a crash) for a
  bulk slot. So a Sunday burst of thousands of weekly DMs, paced by their charts, never holds back a
  debrief prompt or a check-in due at the same minute: those are claimed first. While bulk sends run,
  other prompts are looked for when one is added or a send of one ends, else every ``LOOK_EVERY``
  (a look reads every due row, the burst's included: ~27 ms with 100,000 due on SQLite).
* It never goes to sleep for good: if a store call fails (a locked or read-only disk), the drain is
  re-armed with backoff (``FAILURE_BACKOFF`` doubling up to ``FAILURE_BACKOFF_MAX``), and a prompt
  whose send ended in an unexpected error is recovered as after a crash (looked for, then marked sent
  or released), so it is neither lost nor left claimed.

Lateness rule: a prompt sent more than ``LATE_AFTER`` after its due time says it is late. It is dropped
only if it was already more than ``max_lateness`` overdue when the dispatcher started (the bot was down
for long): lateness that builds up while Debrief runs — someone else's backlog, a slow Discord, a store
failure — never drops a prompt. A prompt held back — by quiet hours or closed DMs — gets a new due
time, so waiting for the user never makes it "too late" either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.store import Prompt, Store

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=2)
#: At most this many prompts of one user are claimed or being sent at a time.
PER_USER = 2
#: After a failure of the drain itself (a store call), look again after this, doubling each time.
FAILURE_BACKOFF = timedelta(seconds=1)
FAILURE_BACKOFF_MAX = timedelta(minutes=5)
#: Re-check the store at least this often, whatever the next due time.
MAX_SLEEP = timedelta(minutes=10)
#: A queue shared by several processes (PostgreSQL) looks this often for claims of processes that died.
RECLAIM_EVERY = timedelta(minutes=1)
#: After this many failed attempts of an unexpected kind, a prompt is marked failed.
MAX_ATTEMPTS = 12
JOB_ID = "prompt-dispatch"
#: While bulk prompts are being sent, other prompts are looked for at least this often (and at once when
#: one is added or a send of one ends): each look is a claim over every due row, bulk ones included.
LOOK_EVERY = timedelta(seconds=1)

#: True inside the dispatcher's own work (its drain, every send task it starts, the recovery at start):
#: the request pacer (``bot.delivery``) lets requests made while answering a person go first.
DISPATCHING: ContextVar[bool] = ContextVar("debrief_dispatching", default=False)


@contextmanager
def dispatching() -> Iterator[None]:
    token = DISPATCHING.set(True)
    try:
        yield
    finally:
        DISPATCHING.reset(token)


class HoldUntil(Exception):
    """The prompt must wait (quiet hours): try again at ``when``; it is not an attempt."""

    def __init__(self, when: datetime, reason: str) -> None:
        super().__init__(reason)
        self.when = when


class RetryLater(Exception):
    """A send failed in a way worth retrying (closed DMs, a server error): back off."""


class DropPrompt(Exception):
    """The prompt no longer makes sense (its interview is gone, already debriefed): cancel it."""


class AlreadySent(Exception):
    """What the user did shows the prompt reached them (a debrief was started from it), although its
    send was never recorded (the process died first, and its buttons are gone, so the look-up of the
    DMs cannot find it): record it as sent, and do not send it again."""


@dataclass(frozen=True, slots=True)
class Sending:
    """What a sender is told about the prompt it sends."""

    prompt: Prompt
    late_by: timedelta | None  # set when the prompt is going out late

    @property
    def nonce(self) -> str:
        """Discord keeps one message per nonce (``enforce_nonce``), so a retried send posts once."""
        return f"prompt-{self.prompt.id}-{self.prompt.snoozes}"


#: Sends the prompt and returns the message id; raises HoldUntil, RetryLater or DropPrompt.
Sender = Callable[[Sending], Awaitable[int | None]]
#: Looks for an already-posted message of a claimed prompt (after a crash); returns its id or None.
Finder = Callable[[Prompt], Awaitable[int | None]]
#: Told what became of each prompt: ``observer(event, prompt, **details)`` with event sent, held,
#: retried, dropped or failed (bot/ops/ writes the log line and the metrics from it).
Observer = Callable[..., None]


def _unobserved(event: str, prompt: Prompt, **details: object) -> None:
    pass


class Pacer:
    """Spaces out starts to at most ``rate`` per second."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            now = loop.time()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = self._next
            self._next = max(now, self._next) + self.interval


class PromptQueue:
    def __init__(
        self,
        store: Store,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        *,
        rate: float | None,
        batch: int,
        max_lateness: timedelta,
        retry_initial: timedelta,
        retry_max: timedelta,
        concurrency: int = 16,
        bulk_slots: int | None = None,
        per_user: int = PER_USER,
        reclaim_every: timedelta = RECLAIM_EVERY,
    ) -> None:
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.batch = batch
        self.max_lateness = max_lateness
        self.retry_initial = retry_initial
        self.retry_max = retry_max
        self.per_user = per_user
        self.reclaim_every = reclaim_every
        self._next_reclaim = 0.0  # (loop time) a shared queue looks for dead processes' claims then
        self._senders: dict[str, Sender] = {}
        self._finders: dict[str, Finder] = {}
        self._pacer = Pacer(rate) if rate else None
        self._slots = asyncio.Semaphore(concurrency)
        #: Of those slots, bulk kinds (``register(..., bulk=True)``) may hold at most this many.
        self.bulk_slots = max(1, concurrency // 4) if bulk_slots is None else max(1, min(bulk_slots, concurrency))
        self._bulk_kinds: set[str] = set()
        self._bulk_waiting: deque[Prompt] = deque()  # claimed bulk prompts waiting for a bulk slot
        self._bulk_inflight = 0
        self._look = True  # look for (non-bulk) due prompts at the next pass, whatever LOOK_EVERY says
        self._looked = 0.0  # (loop time) when they were last looked for
        self._inflight: dict[asyncio.Task[None], Prompt] = {}
        self._drainer: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()  # a prompt was added, a send finished, or the clock moved
        self._armed: datetime | None = None
        self._failures = 0  # consecutive failed drains
        self._orphans: list[Prompt] = []  # claimed prompts whose send ended in an unexpected error
        self._started_at: datetime | None = None
        self._stopped = True  # until start(): nothing is sent before claims are recovered
        self.observer: Observer = _unobserved
        clock.on_change(self.wake)

    # -- wiring -------------------------------------------------------------------------------------

    def register(self, kind: str, sender: Sender, finder: Finder | None = None, *, bulk: bool = False) -> None:
        """Say how prompts of ``kind`` are sent (cogs do this when they load). ``bulk``: many fall due at
        once and each is slow (weekly summaries): they may hold only ``bulk_slots`` send slots."""
        self._senders[kind] = sender
        if bulk:
            self._bulk_kinds.add(kind)
        if finder is not None:
            self._finders[kind] = finder

    async def start(self) -> None:
        """Take back claims left by a dead process, then dispatch whatever is due."""
        self._started_at = self.clock.now()
        with dispatching():
            for prompt in await self.store.prompts.claimed():
                await self._recover(prompt)
        self._next_reclaim = asyncio.get_running_loop().time() + self.reclaim_every.total_seconds()
        self._stopped = False
        self.wake()

    async def _recover(self, prompt: Prompt) -> None:
        """A claimed prompt whose send may or may not have gone out: mark it sent if it did, else release it."""
        finder = self._finders.get(prompt.kind)
        message_id = await finder(prompt) if finder else None
        if message_id is not None:
            log.info("prompt %s was posted before its send was recorded; marking it sent", prompt.id)
            await self.store.prompts.mark_sent(prompt.id, message_id, self.clock.now())
        else:
            await self.store.prompts.release(prompt.id)

    async def stop(self) -> None:
        self._stopped = True
        if self.scheduler.get_job(JOB_ID):
            self.scheduler.remove_job(JOB_ID)
        tasks = [*self._inflight, *([self._drainer] if self._drainer else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._bulk_waiting.clear()  # still claimed in the store: released (or found sent) at the next start

    def notify(self, due: datetime) -> None:
        """A prompt was scheduled (and committed) for ``due``: make sure we wake up for it."""
        if self._stopped:
            return
        if self._drainer is not None and not self._drainer.done():
            self._look = True
            self._kick.set()
        elif due <= self.clock.now():
            self.wake()
        elif self._armed is None or due < self._armed or self.scheduler.get_job(JOB_ID) is None:
            self._arm(due)

    def wake(self) -> None:
        """Look at the store now."""
        if self._stopped:
            return
        if self._drainer is not None and not self._drainer.done():
            self._look = True
            self._kick.set()
            return
        self._drainer = asyncio.get_running_loop().create_task(self._drain(), name="prompt-drain")
        self._drainer.add_done_callback(_log_failure)

    async def _wake_job(self) -> None:
        """The APScheduler job: a coroutine, so it runs on the event loop, not in a thread."""
        self._armed = None  # the job is spent: the next notify() arms a new one
        self.wake()

    @property
    def idle(self) -> bool:
        return (self._drainer is None or self._drainer.done()) and not self._inflight and not self._bulk_waiting

    # -- the loop -----------------------------------------------------------------------------------

    async def _drain(self) -> None:
        DISPATCHING.set(True)  # this task's own context, inherited by the send tasks it starts
        try:
            while True:
                await self._drain_once()
                due = await self.store.prompts.next_due()
                if not self._kick.is_set():  # (no await from here to the end: no wake-up can be lost)
                    break
            now = self.clock.now()
            if due is not None and due <= now:
                # Due but not claimable: its user's slots are held by claims this process does not own
                # (taken back at start, or, on a shared store, by _reclaim). Look again later rather than spin.
                due = now + FAILURE_BACKOFF
            self._arm(due)
        except asyncio.CancelledError:
            raise
        except Exception:
            self._failures += 1
            delay = min(FAILURE_BACKOFF * 2 ** (self._failures - 1), FAILURE_BACKOFF_MAX)
            log.exception("the prompt queue failed (%s in a row); looking again in %s", self._failures, delay)
            self._arm(self.clock.now() + delay, failed=True)
        else:
            self._failures = 0

    async def _drain_once(self) -> None:
        """Claim and send until nothing due can be claimed and nothing is in flight."""
        while True:
            self._kick.clear()  # cleared before the query, so a wake-up during it is not lost
            await self._reclaim()
            while self._orphans:
                await self._recover(self._orphans[0])
                self._orphans.pop(0)
            # Everything but the bulk kinds first: none of it waits behind a burst of those. (A bulk send
            # ending does not make this look again by itself, at most every LOOK_EVERY.)
            loop = asyncio.get_running_loop()
            claimed: list[Prompt] = []
            looked = self._look or not self._bulk_inflight or loop.time() >= self._looked + LOOK_EVERY.total_seconds()
            if looked:
                self._look, self._looked = False, loop.time()
                claimed = await self.store.prompts.claim_due(
                    self.clock.now(), self.batch, self.per_user, skip=self._bulk_kinds
                )
                for prompt in claimed:
                    await self._start(prompt)
            bulk = []
            if self._bulk_kinds and not self._bulk_waiting:
                bulk = await self.store.prompts.claim_due(
                    self.clock.now(), self.batch, self.per_user, kinds=self._bulk_kinds
                )
                self._bulk_waiting.extend(bulk)
            while self._bulk_waiting and self._bulk_inflight < self.bulk_slots:
                await self._start(self._bulk_waiting.popleft(), bulk=True)
            if len(claimed) == self.batch or len(bulk) == self.batch:
                self._look = True
                continue  # more may be due now
            if not self._inflight and not self._bulk_waiting and not self._kick.is_set():
                if not looked:
                    self._look = True
                    continue
                return
            # A finished send may let that user's next prompt go; a new prompt may be due: look again.
            if self._bulk_inflight:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._kick.wait(), LOOK_EVERY.total_seconds())
            else:
                await self._kick.wait()

    async def _start(self, prompt: Prompt, *, bulk: bool = False) -> None:
        """Send ``prompt`` in a task of its own, once the pacer and a free slot allow."""
        if self._pacer is not None:
            await self._pacer.wait()
        await self._slots.acquire()
        if bulk:
            self._bulk_inflight += 1
        task = asyncio.get_running_loop().create_task(self._send(prompt), name=f"prompt-{prompt.id}")
        self._inflight[task] = prompt
        task.add_done_callback(self._finished_bulk if bulk else self._finished)

    def _finished_bulk(self, task: asyncio.Task[None]) -> None:
        self._bulk_inflight -= 1
        self._finished(task, bulk=True)

    async def _reclaim(self) -> None:
        """Shared queue: take back, now and then, the claims of other processes that died (their sends
        are recovered as after a crash: looked for in the user's DMs, then marked sent or released)."""
        loop = asyncio.get_running_loop()
        if not self.store.prompts.shared or loop.time() < self._next_reclaim:
            return
        self._next_reclaim = loop.time() + self.reclaim_every.total_seconds()
        for prompt in await self.store.prompts.claimed():
            log.info("taking back prompt %s, claimed by a process that is gone", prompt.id)
            await self._recover(prompt)

    def _finished(self, task: asyncio.Task[None], *, bulk: bool = False) -> None:
        prompt = self._inflight.pop(task)
        if not bulk:
            self._look = True  # that user's next prompt may go now
        self._slots.release()
        if not task.cancelled() and task.exception() is not None:
            log.error("sending prompt %s failed", prompt.id, exc_info=task.exception())
            self._orphans.append(prompt)
            if not self._stopped and (self._drainer is None or self._drainer.done()):
                self._arm(self.clock.now() + FAILURE_BACKOFF, failed=True)
        self._kick.set()

    def _arm(self, due: datetime | None, *, failed: bool = False) -> None:
        if self._stopped:
            return
        now = self.clock.now()
        longest = min(MAX_SLEEP, self.reclaim_every) if self.store.prompts.shared else MAX_SLEEP
        wake_at = now + longest if due is None else min(due, now + longest)
        self._armed = None if failed else due  # after a failure, any notify() may arm sooner
        real = datetime.now(now.tzinfo) + max(wake_at - now, timedelta(0))
        self.scheduler.add_job(
            self._wake_job,
            "date",
            run_date=real,
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def _send(self, prompt: Prompt) -> None:
        now = self.clock.now()
        late_by = now - (prompt.late_since or prompt.due_at)
        started = min(self._started_at or now, now)  # (a test or the sandbox may move the clock back)
        if started - prompt.due_at > self.max_lateness:  # overdue by that much while the bot was down
            await self.store.prompts.drop(prompt.id, f"too late ({int(late_by.total_seconds())} s)")
            self.observer("dropped", prompt, reason="too late", late_by=now - prompt.due_at)
            return
        sender = self._senders.get(prompt.kind)
        if sender is None:
            await self.store.prompts.retry_later(prompt.id, now + self.retry_initial, "no sender", None)
            log.error("no sender registered for prompt kind %s", prompt.kind)
            return
        sending = Sending(prompt, late_by if late_by > LATE_AFTER else None)
        try:
            message_id = await sender(sending)
        except HoldUntil as hold:
            await self.store.prompts.retry_later(prompt.id, hold.when, str(hold), prompt.due_at)
            self.observer("held", prompt, reason=str(hold), until=hold.when)
            self.notify(hold.when)
        except DropPrompt as drop:
            await self.store.prompts.drop(prompt.id, str(drop) or "dropped")
            self.observer("dropped", prompt, reason=str(drop) or "dropped")
        except AlreadySent as sent:
            log.info("prompt %s already reached its user (%s); not sending it again", prompt.id, sent)
            await self.store.prompts.mark_sent(prompt.id, None, self.clock.now())
            self.observer(
                "sent", prompt, message_id=None, late_by=self.clock.now() - (prompt.late_since or prompt.due_at)
            )
        except RetryLater as exc:
            await self._backoff(prompt, str(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("sending prompt %s failed", prompt.id)
            if prompt.attempts >= MAX_ATTEMPTS:
                await self.store.prompts.fail(prompt.id, repr(exc)[:500])
                self.observer("failed", prompt, reason=type(exc).__name__, attempt=prompt.attempts)
            else:
                await self._backoff(prompt, repr(exc)[:500], type(exc).__name__)
        else:
            sent_at = self.clock.now()
            await self.store.prompts.mark_sent(prompt.id, message_id, sent_at)
            self.observer("sent", prompt, message_id=message_id, late_by=sent_at - (prompt.late_since or prompt.due_at))

    async def _backoff(self, prompt: Prompt, error: str, reason: str | None = None) -> None:
        delay = min(self.retry_initial * (2 ** max(prompt.attempts - 1, 0)), self.retry_max)
        when = self.clock.now() + delay
        await self.store.prompts.retry_later(prompt.id, when, error, prompt.due_at)
        self.observer("retried", prompt, reason=reason or error, until=when, attempt=prompt.attempts)
        self.notify(when)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("task %s failed", task.get_name(), exc_info=task.exception())
