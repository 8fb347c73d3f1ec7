"""Handling webhook updates in the background: chats concurrently, each chat in order.

An update is in the inbox before Telegram gets its 200. Its handler runs with its requests
recorded (see `recording`); when it finishes, what it produced goes to the outbox in one write
and the update is handled — the outbox delivers, retries, and marks it done. The handler never
runs again for it.

A handler that raises has sent nothing: it is tried again a few times (`HANDLER_ATTEMPTS`), then
the update is quarantined, the exception type logged, and the user gets one apology. Attempts cut
off by a crash are counted apart (`INTERRUPTED_ATTEMPTS`, higher) when the next start resumes them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from .handlers.errors import APOLOGY
from .outbox import Clock, Outbox, RetryPolicy
from .recording import Recording, recording
from .store import Store

logger = logging.getLogger(__name__)

HANDLER_ATTEMPTS = 3
INTERRUPTED_ATTEMPTS = 5


@dataclass
class Job:
    update_id: int
    chat: int | None
    payload: dict
    asked_at: float
    reply_to: int | None = None
    update: Update | None = None  # parsed already (fresh from the webhook)
    attempts: int = 0  # handler failures so far


class UpdateDispatcher:
    def __init__(self, process: Callable[[Job], Awaitable[None]], store: Store, outbox: Outbox, policy: RetryPolicy,
                 clock: Clock | None = None, max_concurrency: int = 8):
        self._process = process
        self._store = store
        self._outbox = outbox
        self._policy = policy
        self._clock = clock or Clock()
        self._limit = asyncio.Semaphore(max_concurrency)
        # chat → (lock, number of tasks using it); an entry lives only while a chat has work queued,
        # so memory stays flat however many chats write.
        self._chats: dict[object, list] = {}
        self._tasks: dict[int, asyncio.Task] = {}  # update id → its task
        self._handling: set[int] = set()  # update ids whose handler (or staging) is running
        self._closing = False

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def knows(self, update_id: int) -> bool:
        return update_id in self._tasks

    def submit(self, job: Job) -> None:
        """Queue an update (once: a resent one already queued is not queued twice). While shutting
        down nothing new starts: the update stays pending in the inbox for the next start."""
        if self._closing or job.update_id in self._tasks:
            return
        entry = self._chats.setdefault(job.chat, [asyncio.Lock(), 0])
        entry[1] += 1
        task = asyncio.create_task(self._run(job, entry), name=f"update-{job.update_id}")
        self._tasks[job.update_id] = task
        task.add_done_callback(functools.partial(self._forget_task, job.update_id))

    def _forget_task(self, update_id: int, _task: asyncio.Task) -> None:
        self._tasks.pop(update_id, None)

    async def _run(self, job: Job, entry: list) -> None:
        lock: asyncio.Lock = entry[0]
        try:
            async with lock:  # first await: tasks of one chat queue here in submission order
                while not self._closing:
                    async with self._limit:
                        self._handling.add(job.update_id)
                        try:
                            finished = await self._attempt(job)
                        except Exception as exc:  # e.g. the database locked while counting a failure
                            logger.error("update %s: bookkeeping failed (%s); trying again", job.update_id,
                                         exc.__class__.__name__)
                            finished = False
                        finally:
                            self._handling.discard(job.update_id)
                    if finished:
                        return
                    await self._clock.sleep(self._policy.delay(max(job.attempts, 1)))
        finally:
            entry[1] -= 1
            if entry[1] == 0 and self._chats.get(job.chat) is entry:
                del self._chats[job.chat]

    def _recording(self, job: Job) -> Recording:
        return Recording(job.update_id, job.chat, job.asked_at, job.reply_to, send_now=self._outbox.send_soon)

    async def _attempt(self, job: Job) -> bool:
        """One handler run; True when the update needs nothing more from the dispatcher."""
        with recording(self._recording(job)) as rec:
            try:
                await self._process(job)
            except Exception as exc:  # the error handler covers handler errors; this is everything around them
                rec.failure = exc
                logger.error("update %s could not be processed: %s", job.update_id, exc.__class__.__name__,
                             exc_info=exc)
            finally:
                rec.finished = True  # the answer is ready: no "typing" any more
                for handle in rec.cosmetic:
                    handle.cancel()
        job.update = None  # a retry parses the stored payload afresh
        if rec.failure is None:
            try:
                await self._outbox.stage(rec)
                return True
            except Exception as exc:  # e.g. the database is locked or full: nothing was sent, try again
                logger.error("update %s: storing its answer failed (%s); trying again", job.update_id,
                             exc.__class__.__name__)
                return False
        reason = rec.failure.__class__.__name__
        job.attempts = await self._store.inbox_handler_failed(job.update_id, reason)
        if job.attempts < HANDLER_ATTEMPTS:
            logger.warning("update %s: handler failed with %s (attempt %s of %s), trying again", job.update_id,
                           reason, job.attempts, HANDLER_ATTEMPTS)
            return False
        logger.error("update %s quarantined after %s failed attempts: %s", job.update_id, job.attempts, reason)
        await self._outbox.stage_apology(self._recording(job), APOLOGY, inbox_status="quarantined")
        return True

    async def drain(self, deadline: float) -> list[int]:
        """Start nothing new; handlers running get until `deadline` (loop time); updates waiting (for
        their chat, a slot or a retry) stay pending at once. Returns the updates cut off running."""
        self._closing = True
        loop = asyncio.get_running_loop()
        for update_id, task in list(self._tasks.items()):
            if update_id not in self._handling:
                task.cancel()
        running = [task for update_id, task in self._tasks.items() if update_id in self._handling]
        if running:
            await asyncio.wait(running, timeout=max(0.0, deadline - loop.time()))
        cut_off = sorted(self._handling)
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if cut_off:
            logger.warning("%s updates cut off while being handled stay in the inbox", len(cut_off))
        return cut_off
