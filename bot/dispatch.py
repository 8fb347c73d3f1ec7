"""Processing webhook updates in the background: chats concurrently, each chat in order.

An update is written to the durable inbox before Telegram gets its 200; it is marked done once
its handlers finished (the reply was delivered) and failed when a handler raised. Unfinished
updates are processed again on start, at most `max_attempts` times in all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from .handlers.errors import OUTCOME, Outcome
from .store import Store

logger = logging.getLogger(__name__)


class UpdateDispatcher:
    def __init__(self, process: Callable[[dict], Awaitable[None]], store: Store, max_concurrency: int = 8):
        self._process = process
        self._store = store
        self._limit = asyncio.Semaphore(max_concurrency)
        # chat → (lock, number of tasks using it); an entry lives only while a chat has work queued,
        # so memory stays flat however many chats write.
        self._chats: dict[object, list] = {}
        self._tasks: set[asyncio.Task] = set()
        self._closing = False

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    def submit(self, update_id: int, chat: object, payload: dict, retry: bool = False) -> None:
        """Queue an update; updates of one chat run in the order they were submitted. While shutting
        down nothing new starts: the update stays pending in the inbox for the next start."""
        if self._closing:
            return
        entry = self._chats.setdefault(chat, [asyncio.Lock(), 0])
        entry[1] += 1
        task = asyncio.create_task(self._run(update_id, chat, entry, payload, retry), name=f"update-{update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, update_id: int, chat: object, entry: list, payload: dict, retry: bool) -> None:
        lock: asyncio.Lock = entry[0]
        try:
            async with lock:  # first await: tasks of one chat queue here in submission order
                async with self._limit:
                    failed = await self._handle(update_id, payload, retry)
                await self._store.inbox_finish(update_id, "failed" if failed else "done")
        finally:
            entry[1] -= 1
            if entry[1] == 0 and self._chats.get(chat) is entry:
                del self._chats[chat]

    async def _handle(self, update_id: int, payload: dict, retry: bool) -> bool:
        """Process one update; True if it failed. A new update's first attempt was counted when it
        was stored; a left-over one counts another (on the store's single thread, so before it can
        be finished) without waiting for it."""
        outcome = Outcome()
        token = OUTCOME.set(outcome)
        started = asyncio.ensure_future(self._store.inbox_retry(update_id) if retry else asyncio.sleep(0))
        try:
            await self._process(payload)
        except Exception:  # the error handler covers handler errors; this is everything around them
            outcome.failed = True
            logger.exception("update %s could not be processed", update_id)
        finally:
            OUTCOME.reset(token)
        await started
        return outcome.failed

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for in-flight updates (graceful shutdown); what is left stays pending in the inbox."""
        self._closing = True
        if self._tasks:
            done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                logger.warning("%s updates still running at shutdown stay in the inbox", len(pending))
