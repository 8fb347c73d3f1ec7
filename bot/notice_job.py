"""The one repeating job (python-telegram-bot's JobQueue) that sends what subscriptions are due:
deadline reminders and released change notices, through the outbox, within the sending window.

python-telegram-bot keeps no jobs across restarts; the job itself holds nothing: every look reads
the rows in SQLite, so a restart between scheduling and sending loses and repeats nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from .config import Settings
from .knowledge.dates import BERLIN
from .knowledge_source import KnowledgeSource
from .outbox import Clock, Outbox
from .reminders import NoticeWindow, plan, reminder_text, settle_due
from .subscriptions import SubscriptionStore

logger = logging.getLogger(__name__)


class NoticeJob:
    def __init__(self, settings: Settings, source: KnowledgeSource, subscriptions: SubscriptionStore, outbox: Outbox,
                 clock: Clock):
        self._settings = settings
        self._source = source
        self._subscriptions = subscriptions
        self._outbox = outbox
        self._clock = clock
        self._window = NoticeWindow.of(settings)
        self._lock = asyncio.Lock()

    async def __call__(self, _context=None) -> None:
        """The JobQueue callback: one look; a failure is logged and the next look tries again."""
        if self._lock.locked():
            return
        async with self._lock:
            try:
                await self.tick()
            except Exception:
                logger.exception("sending reminders and notices failed; trying again at the next look")

    async def tick(self) -> None:
        now = self._clock.now()
        knowledge = self._source.current.knowledge
        subscriptions = await self._subscriptions.all()
        chats = {s.chat_key: s.chat for s in subscriptions if s.chat is not None}
        rows = await asyncio.to_thread(  # CPU for every subscription: off the event loop, answers go on
            lambda: [row for s in subscriptions if s.chat is not None for row in plan(knowledge, s, now, self._window)])
        today = datetime.fromtimestamp(now, BERLIN).date().isoformat()
        await self._subscriptions.schedule(rows, set(chats), today)
        window_open = self._window.is_open(now)
        if window_open:
            await self._send_reminders(knowledge, chats, now)
        await self._send_notices(chats, now, window_open)
        await self._subscriptions.purge_notices(now - self._settings.retention_days * 86400.0)

    async def _send_reminders(self, knowledge, chats: dict[str, int], now: float) -> None:
        due = [r for r in await self._subscriptions.due_reminders(now) if r["chat_key"] in chats]
        if not due:
            return
        send, outcomes = settle_due(due, knowledge, now)
        if not send:
            await self._subscriptions.settle_reminders(outcomes, now)
            return
        notices = [(chats[r["chat_key"]], reminder_text(knowledge, r, now)) for r in send]
        await self._outbox.stage_notices(notices, lambda db: self._subscriptions.mark_reminders(db, outcomes, now))
        logger.info("%s reminders handed to the outbox (%s late)", len(send), sum(r["late"] for r in send))

    async def _send_notices(self, chats: dict[str, int], now: float, window_open: bool) -> None:
        due = [r for r in await self._subscriptions.due_notices(now, window_open) if r["chat_key"] in chats]
        if due:
            ids = [r["id"] for r in due]
            await self._outbox.stage_notices([(chats[r["chat_key"]], r["text"]) for r in due],
                                             lambda db: self._subscriptions.mark_notices(db, ids, "released"))
            logger.info("%s change notices handed to the outbox", len(due))
        if due or not await self._subscriptions.held_count():
            await self._subscriptions.promote_candidate()

    # ---- what the outbox learns about chats ---------------------------------------------------

    async def chat_gone(self, chat: object) -> None:
        if isinstance(chat, int) and await self._subscriptions.delete(chat):
            logger.info("a chat that refuses messages was unsubscribed")

    async def chat_moved(self, old: object, new: int) -> None:
        if isinstance(old, int) and await self._subscriptions.migrate(old, new):
            logger.info("a subscription moved with its chat to a supergroup")
