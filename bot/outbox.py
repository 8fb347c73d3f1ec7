"""Delivery of everything the bot sends, one durable record per request (the `outbox` table).

A request is done when Telegram accepted it (its message id is recorded at once, so a restart
never resends it) or refused it for good. Until then it is retried: connection refused, 5xx,
timeouts and 429 (waiting `parameters.retry_after`, which pauses all sending) with exponential
backoff and jitter, across restarts, up to `delivery_max_age`. Refusals are handled, not
swallowed: a blocked bot or a vanished chat ends that chat's requests; HTML Telegram cannot parse
is resent as plain text; a message too long is split; a chat migrated to a supergroup gets the
request at its new id; a callback answer that came too late is dropped alone.

An answer that leaves more than five minutes after the question quotes it and says so.

Requests to one chat leave in the order they were staged; chats do not wait for each other. A
request waiting for its next try is not in flight: a drain leaves it pending at once.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import random
import re
import sqlite3
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from aiolimiter import AsyncLimiter

from .bot_api import ApiRefused, ApiUnreachable, BotApi
from .knowledge.dates import BERLIN
from .recording import Recorded, Recording
from .redact import redact
from .replies import split_message
from .store import Store

logger = logging.getLogger(__name__)

LATE_AFTER = 300.0  # seconds after the question: the answer says it is late
TEXT_LIMIT = 4096  # Telegram's limit for a message's visible text
MIN_SPLIT = 200  # below this a "too long" refusal is final (nothing sensible left to split)
MAX_REWRITES = 3  # plain text, migration, split: a request is reshaped at most this often
RATED = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})  # count as messages
GROUP_RATE = (20, 60.0)  # Telegram: about 20 messages a minute into one group
MAX_GROUP_LIMITERS = 1000
FAILURES_TO_LOG = 5  # failed attempts in a row before the log says the Bot API is failing
COSMETIC_AFTER = 0.5  # seconds a handler may wait before "typing" is shown (most answers take milliseconds)
STORE_RETRIES = 5  # a locked or full database: bookkeeping writes are retried before giving up
NOTICE = "notice"  # reminders and change notices: their own rate, after live answers
NOTICE_CHAT_GAP = 1.0  # seconds between two notices to one chat


class Clock:
    """Wall time and waiting; tests substitute one that jumps instead of sleeping."""

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 1.0
    maximum: float = 300.0
    max_age: float = 24 * 3600.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: base·2^(attempt−1), capped, then 50–100 % of it."""
        return min(self.maximum, self.base * 2 ** min(max(attempt - 1, 0), 40)) * (0.5 + random.random() / 2)


@dataclass
class Delivery:
    id: int
    update_id: int | None
    question_id: int | None
    seq: float
    kind: str
    method: str
    # params (as sent), chat (raw target), late ({asked_at, reply_to} or None), after_sent, rewrites
    request: dict
    created: float
    attempts: int = 0
    ambiguous: int = 0
    next_at: float = 0.0

    @property
    def chat(self) -> object:
        return self.request.get("chat")


@dataclass
class DeliveryHealth:
    """What /healthz tells about delivery (since the start of this process)."""

    telegram_ok: bool | None = None  # None: nothing tried yet
    last_error: str | None = None
    last_error_at: float | None = None
    sent: int = 0
    refused: int = 0
    expired: int = 0
    possible_duplicates: int = 0  # resends after a request that may have arrived


@dataclass
class _Row:
    """A request about to be staged."""

    chat: object
    kind: str
    method: str
    request: dict
    seq: float = 0.0


class Outbox:
    def __init__(self, store: Store, api: BotApi, policy: RetryPolicy, *, rate: float | None = None,
                 clock: Clock | None = None, max_in_flight: int = 64, notice_rate: float = 10.0):
        self._store = store
        self._api = api
        self._policy = policy
        self._clock = clock or Clock()
        self._queues: dict[object, deque[Delivery]] = {}
        self._workers: dict[object, asyncio.Task] = {}
        self._sending: set[object] = set()  # chats with a request on the wire
        self._remaining: dict[int, int] = {}  # update id → requests not yet done
        self._paused_until = 0.0  # a 429 pauses all sending
        self._closing = False
        self._limiter = AsyncLimiter(rate or 30, 1)
        self._group_limiters: OrderedDict[object, AsyncLimiter] = OrderedDict()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._cosmetic: set[asyncio.Task] = set()
        self._failures = 0  # failed attempts since the last success
        self.health = DeliveryHealth()
        self._notice_limiter = AsyncLimiter(notice_rate, 1)
        self._last_notice: OrderedDict[object, float] = OrderedDict()
        self._live_waiting = 0  # live requests waiting for the overall budget: notices let them go first
        # Told when a chat refuses messages for good (403, chat not found) or moved to a supergroup
        # (subscriptions follow or end).
        self.on_chat_gone: Callable[[object], Awaitable[None]] | None = None
        self.on_chat_moved: Callable[[object, int], Awaitable[None]] | None = None

    # ---- staging ------------------------------------------------------------------------------

    async def stage(self, rec: Recording, *, kind: str = "reply", inbox_status: str = "answering") -> None:
        """Store what a handler produced (with its question-log rows) in one write, then send it."""
        rows, first_reply = [], True
        for i, recorded in enumerate(rec.requests):
            target = _target(recorded, rec.chat)
            late = None
            if recorded.method == "sendMessage" and target == rec.chat and first_reply:
                late, first_reply = {"asked_at": rec.asked_at, "reply_to": rec.reply_to}, False
            handover = bool(recorded.after_sent and "handover" in recorded.after_sent)
            rows.append(_Row(target, "handover" if handover else kind, recorded.method,
                             {"params": recorded.params, "chat": target, "late": late,
                              "after_sent": recorded.after_sent, "rewrites": 0}, float(i)))
        question_id = rec.questions[-1]["id"] if rec.questions else None
        now = self._clock.now()
        stored = [self._row_dict(row, rec.update_id, question_id, now) for row in rows]
        ids = await self._store.stage(rec.update_id, rec.questions, stored, inbox_status)
        self._enqueue([Delivery(i, rec.update_id, question_id, row.seq, row.kind, row.method, row.request, now,
                                next_at=now) for i, row in zip(ids, rows)])

    async def stage_apology(self, rec: Recording, text: str, inbox_status: str) -> None:
        """The one apology for an update that could not be handled (nothing else was sent for it)."""
        rec.requests = [Recorded("sendMessage", {"chat_id": str(rec.chat), "text": text})] if rec.chat else []
        rec.questions = []
        await self.stage(rec, kind="apology", inbox_status=inbox_status)

    async def stage_notices(self, notices: list[tuple[int, str]], bookkeeping: Callable | None = None) -> None:
        """Reminders and change notices (chat, plain text): stored in one transaction with
        `bookkeeping(db)` (marking them sent), then queued behind live answers at their own rate."""
        now = self._clock.now()
        rows = [_Row(chat, NOTICE, "sendMessage", {"params": {"chat_id": str(chat), "text": text}, "chat": chat,
                                                   "late": None, "after_sent": None, "rewrites": 0}, float(i))
                for i, (chat, text) in enumerate(notices)]
        stored = [self._row_dict(row, None, None, now) for row in rows]
        ids = await self._store.stage(None, [], stored, "done", also=bookkeeping)
        self._enqueue([Delivery(i, None, None, row.seq, row.kind, row.method, row.request, now, next_at=now)
                       for i, row in zip(ids, rows)])

    def send_soon(self, method: str, params: dict[str, str]) -> asyncio.TimerHandle:
        """A cosmetic request that is only worth sending if the handler is still busy in
        `COSMETIC_AFTER` seconds; the dispatcher cancels the handle once the handler is done."""
        return asyncio.get_running_loop().call_later(COSMETIC_AFTER, self.send_now, method, params)

    def send_now(self, method: str, params: dict[str, str]) -> None:
        """A cosmetic request ("typing"): sent at once, not stored, not retried, failures ignored;
        skipped while a 429 pauses sending or the outbox is stopping."""
        if self._closing or self._paused_until > self._clock.now():
            return
        task = asyncio.create_task(self._send_cosmetic(method, params), name="cosmetic")
        self._cosmetic.add(task)
        task.add_done_callback(self._cosmetic.discard)

    async def _send_cosmetic(self, method: str, params: dict[str, str]) -> None:
        try:
            await self._api.call(method, params)
        except (ApiRefused, ApiUnreachable) as exc:
            logger.debug("%s failed: %s", method, exc)

    async def resume(self) -> int:
        """Queue what the last run left undelivered; returns how many."""
        rows = await self._store.outbox_pending()
        self._enqueue([Delivery(r["id"], r["update_id"], r["question_id"], r["seq"], r["kind"], r["method"],
                                r["request"], r["created"], r["attempts"], r["ambiguous"], r["next_at"] or 0.0)
                       for r in rows])
        return len(rows)

    @staticmethod
    def _row_dict(row: _Row, update_id: int | None, question_id: int | None, now: float) -> dict:
        return {"update_id": update_id, "question_id": question_id, "seq": row.seq, "chat": row.chat,
                "kind": row.kind, "method": row.method, "request": row.request, "created": now, "next_at": now}

    def _enqueue(self, deliveries: list[Delivery], front: bool = False) -> None:
        for delivery in reversed(deliveries) if front else deliveries:
            key = delivery.chat
            queue = self._queues.setdefault(key, deque())
            queue.appendleft(delivery) if front else queue.append(delivery)
            if delivery.update_id is not None:
                self._remaining[delivery.update_id] = self._remaining.get(delivery.update_id, 0) + 1
            if key not in self._workers and not self._closing:
                self._workers[key] = asyncio.create_task(self._work(key), name="delivery")

    # ---- state ----------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self._queues.values())

    @property
    def busy(self) -> bool:
        return bool(self._workers)

    def snapshot(self) -> dict:
        now = self._clock.now()
        oldest = min((d.created for q in self._queues.values() for d in q), default=None)
        health = self.health
        return {
            "telegram_ok": health.telegram_ok is not False,
            "delivery_pending": self.pending,
            "delivery_oldest_pending_seconds": round(now - oldest) if oldest is not None else None,
            "delivery_last_error": health.last_error,
            "delivery_last_error_at": (datetime.fromtimestamp(health.last_error_at, BERLIN).isoformat(timespec="seconds")
                                       if health.last_error_at else None),
            "delivery_sent": health.sent,
            "delivery_refused": health.refused,
            "delivery_expired": health.expired,
            "delivery_possible_duplicates": health.possible_duplicates,
        }

    # ---- the per-chat worker --------------------------------------------------------------------

    async def _work(self, key: object) -> None:
        queue = self._queues[key]
        try:
            while queue and not self._closing:
                delivery = queue[0]
                wait = max(delivery.next_at, self._paused_until) - self._clock.now()
                if wait > 0:
                    await self._clock.sleep(wait)  # waiting for the next try is not being in flight
                    continue
                self._sending.add(key)
                try:
                    await self._attempt(queue, delivery)
                except Exception:  # a bug or a broken database must not strand the chat's queue
                    logger.exception("delivery %s failed unexpectedly; retrying later", delivery.id)
                    delivery.attempts += 1
                    delivery.next_at = self._clock.now() + self._policy.delay(delivery.attempts)
                finally:
                    self._sending.discard(key)
        finally:
            if self._workers.get(key) is asyncio.current_task():
                del self._workers[key]
            if not queue and self._queues.get(key) is queue:
                del self._queues[key]

    async def _attempt(self, queue: deque[Delivery], delivery: Delivery) -> None:
        now = self._clock.now()
        if now - delivery.created >= self._policy.max_age and delivery.attempts:
            self.health.expired += 1
            await self._done(queue, delivery, "expired", error=self.health.last_error)
            logger.warning("delivery %s given up after %s attempts in %.0f s (last error: %s)", delivery.id,
                           delivery.attempts, now - delivery.created, self.health.last_error)
            return
        params = self._prepared(delivery, now)
        if delivery.method == "sendMessage" and _visible_length(params) > TEXT_LIMIT:
            await self._split(queue, delivery, params, TEXT_LIMIT)
            return
        try:
            async with self._slots:
                await self._rate_limit(delivery, params)
                result = await self._api.call(delivery.method, params)
        except ApiUnreachable as exc:
            await self._retry(delivery, str(exc), ambiguous=exc.written)
            return
        except ApiRefused as exc:
            await self._refused(queue, delivery, params, exc)
            return
        self.health.sent += 1
        self._healthy()
        message_id = result.get("message_id") if isinstance(result, dict) else None
        after_sent = delivery.request.get("after_sent") or {}
        await self._done(queue, delivery, "sent", message_id=message_id if isinstance(message_id, int) else None,
                         handover=after_sent.get("handover"), question_message=after_sent.get("question_message"))

    async def _rate_limit(self, delivery: Delivery, params: dict[str, str]) -> None:
        if delivery.method not in RATED:
            return
        chat = delivery.chat
        if delivery.kind == NOTICE:
            await self._notice_turn(chat)
        if isinstance(chat, int) and chat < 0:
            limiter = self._group_limiters.pop(chat, None) or AsyncLimiter(*GROUP_RATE)
            self._group_limiters[chat] = limiter
            while len(self._group_limiters) > MAX_GROUP_LIMITERS:
                self._group_limiters.popitem(last=False)
            await limiter.acquire()
        if delivery.kind == NOTICE:
            await self._limiter.acquire()
            return
        self._live_waiting += 1
        try:
            await self._limiter.acquire()
        finally:
            self._live_waiting -= 1

    async def _notice_turn(self, chat: object) -> None:
        """A notice waits for its chat's gap, the notices' own rate, and live answers waiting."""
        last = self._last_notice.pop(chat, None)
        if last is not None and (wait := last + NOTICE_CHAT_GAP - self._clock.now()) > 0:
            await asyncio.sleep(min(wait, NOTICE_CHAT_GAP))
        await self._notice_limiter.acquire()
        while self._live_waiting:
            await asyncio.sleep(0.01)
        self._last_notice[chat] = self._clock.now()
        while len(self._last_notice) > MAX_GROUP_LIMITERS:
            self._last_notice.popitem(last=False)

    def _prepared(self, delivery: Delivery, now: float) -> dict[str, str]:
        """The parameters as sent now: a late answer quotes the question and says it is late."""
        params = delivery.request["params"]
        late = delivery.request.get("late")
        if delivery.method != "sendMessage" or not late or now - late["asked_at"] <= LATE_AFTER:
            return params
        params = dict(params)
        asked = datetime.fromtimestamp(late["asked_at"], BERLIN)
        params["text"] = f"Verspätete Antwort auf Ihre Frage vom {asked:%d.%m.%Y, %H:%M} Uhr:\n\n{params.get('text', '')}"
        if late.get("reply_to") is not None and "reply_parameters" not in params:
            # A deleted question must not turn the answer into a permanent 400.
            params["reply_parameters"] = json.dumps({"message_id": late["reply_to"],
                                                     "allow_sending_without_reply": True})
        return params

    # ---- outcomes ---------------------------------------------------------------------------------

    async def _done(self, queue: deque[Delivery], delivery: Delivery, status: str, *, message_id: int | None = None,
                    error: str | None = None, handover: dict | None = None,
                    question_message: dict | None = None) -> None:
        update_done = None
        if delivery.update_id is not None:
            left = self._remaining.get(delivery.update_id, 1) - 1
            if left <= 0:
                self._remaining.pop(delivery.update_id, None)
                update_done = delivery.update_id
            else:
                self._remaining[delivery.update_id] = left
        if queue and queue[0] is delivery:
            queue.popleft()
        await self._persist(self._store.outbox_finish, delivery.id, status, message_id=message_id, error=error,
                            update_done=update_done, handover=handover, question_message=question_message)

    async def _retry(self, delivery: Delivery, error: str, *, ambiguous: bool = False,
                     retry_after: float | None = None) -> None:
        now = self._clock.now()
        delivery.attempts += 1
        if ambiguous:
            delivery.ambiguous += 1
            self.health.possible_duplicates += 1
            logger.warning("delivery %s: no answer after the request was sent (%s); resending may duplicate it",
                           delivery.id, error)
        if retry_after is not None:
            self._paused_until = max(self._paused_until, now + retry_after)
            delay = retry_after * (1 + random.random() / 10)
        else:
            delay = self._policy.delay(delivery.attempts)
        delivery.next_at = min(now + delay, delivery.created + self._policy.max_age)
        self._unhealthy(error)
        await self._persist(self._store.outbox_retry_later, delivery.id, delivery.attempts, delivery.ambiguous,
                            delivery.next_at, error)

    async def _refused(self, queue: deque[Delivery], delivery: Delivery, params: dict[str, str],
                       exc: ApiRefused) -> None:
        description = redact(exc.description)[:300]
        text = description.lower()
        error = redact(str(exc))[:300]
        retry_after = exc.parameters.get("retry_after")
        migrate_to = exc.parameters.get("migrate_to_chat_id")
        if isinstance(migrate_to, int) and not isinstance(migrate_to, bool):
            await self._rewrite(queue, delivery, error, chat=migrate_to)
        elif exc.status == 429 or isinstance(retry_after, (int, float)) and not isinstance(retry_after, bool):
            await self._retry(delivery, error, retry_after=float(retry_after) if isinstance(retry_after, (int, float))
                              else None)
        elif exc.status >= 500 or exc.status in (401, 404, 409):
            # Telegram down, or the token refused (or a proxy answering in its place): an operator can
            # fix that, and then the answers must still be there.
            await self._retry(delivery, error)
        elif exc.status == 403 or "chat not found" in text:
            await self._chat_gone(queue, delivery, error)
        elif "can't parse entities" in text or "can't find end" in text or "unsupported start tag" in text:
            await self._rewrite(queue, delivery, error, plain=True)
        elif "message is too long" in text or "text is too long" in text:
            await self._split(queue, delivery, params, max(_visible_length(params) // 2, 1), error)
        else:
            # Anything else (a callback query too old, a message not modified …) ends only this request.
            self._healthy()
            self.health.refused += 1
            logger.info("delivery %s (%s) refused by Telegram: %s", delivery.id, delivery.method, description)
            await self._done(queue, delivery, "refused", error=error)

    async def _chat_gone(self, queue: deque[Delivery], delivery: Delivery, error: str) -> None:
        """Blocked by the user or the chat no longer exists: nothing queued for it can arrive."""
        self._healthy()
        gone = [d for d in queue if d.chat == delivery.chat]
        logger.info("chat refuses messages (%s): %s queued requests ended", error, len(gone))
        for item in gone:
            self.health.refused += 1
            queue.remove(item)
            queue.appendleft(item)
            await self._done(queue, item, "refused", error=error)
        if self.on_chat_gone is not None:
            await self._persist(self.on_chat_gone, delivery.chat)

    async def _rewrite(self, queue: deque[Delivery], delivery: Delivery, error: str, *, plain: bool = False,
                       chat: int | None = None) -> None:
        request = delivery.request
        params = dict(request["params"])
        if request.get("rewrites", 0) >= MAX_REWRITES or (plain and "parse_mode" not in params):
            self.health.refused += 1
            logger.info("delivery %s refused by Telegram after %s changes: %s", delivery.id, request.get("rewrites"),
                        error)
            await self._done(queue, delivery, "refused", error=error)
            return
        if plain:
            params.pop("parse_mode", None)
            params.pop("entities", None)
            params["text"] = plain_text(params.get("text", ""))
            logger.info("delivery %s: Telegram could not parse its HTML, resending as plain text", delivery.id)
        if chat is not None:
            params["chat_id"] = str(chat)
            logger.info("delivery %s: the chat became a supergroup, resending to its new id", delivery.id)
            if self.on_chat_moved is not None:
                await self._persist(self.on_chat_moved, delivery.chat, chat)
        delivery.request = {**request, "params": params, "rewrites": request.get("rewrites", 0) + 1,
                            **({"chat": chat} if chat is not None else {})}
        delivery.next_at = self._clock.now()
        self._healthy()
        await self._persist(self._store.outbox_rewrite, delivery.id, delivery.request)

    async def _split(self, queue: deque[Delivery], delivery: Delivery, params: dict[str, str], limit: int,
                     error: str | None = None) -> None:
        """One message becomes several (each within `limit` visible characters); the keyboard goes
        with the last part, the quote with the first."""
        text = params.get("text", "")
        parts = split_message(text, limit=max(limit, MIN_SPLIT // 2))
        if len(parts) < 2 or len(text) < MIN_SPLIT or delivery.request.get("rewrites", 0) >= MAX_REWRITES:
            self.health.refused += 1
            logger.info("delivery %s refused as too long and cannot be split further", delivery.id)
            await self._done(queue, delivery, "refused", error=error or "zu lang")
            return
        rows = []
        for i, part in enumerate(parts):
            piece = {k: v for k, v in params.items() if k not in ("reply_markup", "reply_parameters")}
            piece["text"] = part
            if i == 0 and "reply_parameters" in params:
                piece["reply_parameters"] = params["reply_parameters"]
            if i == len(parts) - 1 and "reply_markup" in params:
                piece["reply_markup"] = params["reply_markup"]
            request = {**delivery.request, "params": piece, "late": None,
                       "rewrites": delivery.request.get("rewrites", 0) + 1}
            rows.append(_Row(delivery.chat, delivery.kind, delivery.method, request, delivery.seq))
        now = self._clock.now()
        stored = [self._row_dict(row, delivery.update_id, delivery.question_id, now) for row in rows]
        ids = await self._persist(self._store.outbox_replace, delivery.id, stored)
        if queue and queue[0] is delivery:
            queue.popleft()
        if delivery.update_id is not None:
            self._remaining[delivery.update_id] = self._remaining.get(delivery.update_id, 1) - 1
        logger.info("delivery %s split into %s messages", delivery.id, len(parts))
        self._enqueue([Delivery(i, delivery.update_id, delivery.question_id, row.seq, row.kind, row.method,
                                row.request, delivery.created, next_at=now) for i, row in zip(ids or [], rows)],
                      front=True)

    def _healthy(self) -> None:
        if self._failures >= FAILURES_TO_LOG:
            logger.warning("Bot API reachable again after %s failed attempts; %s requests waiting", self._failures,
                           self.pending)
        self._failures = 0
        self.health.telegram_ok = True

    def _unhealthy(self, error: str) -> None:
        """/healthz knows at once; the log hears of it once failures persist (single faults are normal)."""
        self._failures += 1
        if self._failures == FAILURES_TO_LOG:
            logger.warning("Bot API failing (%s): answers wait in the outbox and are retried", error)
        else:
            logger.debug("Bot API request failed: %s", error)
        self.health.telegram_ok = False
        self.health.last_error = error
        self.health.last_error_at = time.time()

    async def _persist(self, write, *args, **kwargs):
        """Bookkeeping survives a locked or full database for a while; after that the request
        stays as the database last knew it (pending: resent at the next start)."""
        for attempt in range(1, STORE_RETRIES + 1):
            try:
                return await write(*args, **kwargs)
            except sqlite3.Error as exc:
                if attempt == STORE_RETRIES:
                    logger.error("outbox bookkeeping failed %s times, giving up on this write: %s", attempt,
                                 exc.__class__.__name__)
                    return None
                await asyncio.sleep(min(0.05 * 2 ** attempt, 2.0))

    # ---- stopping ---------------------------------------------------------------------------------

    async def drain(self, deadline: float) -> int:
        """Start nothing new; requests on the wire get until `deadline` (loop time); requests waiting
        for a retry stay pending at once. Returns how many requests were cut off on the wire (they
        may have arrived: the next start resends them and counts a possible duplicate)."""
        self._closing = True
        loop = asyncio.get_running_loop()
        for key, task in list(self._workers.items()):
            if key not in self._sending:
                task.cancel()
        in_flight = [task for key, task in self._workers.items() if key in self._sending]
        if in_flight:
            await asyncio.wait(in_flight, timeout=max(0.0, deadline - loop.time()))
        cut_off = [self._queues[key][0] for key in list(self._sending) if self._queues.get(key)]
        tasks = list(self._workers.values()) + list(self._cosmetic)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for delivery in cut_off:
            delivery.ambiguous += 1
            await self._persist(self._store.outbox_retry_later, delivery.id, delivery.attempts, delivery.ambiguous,
                                delivery.next_at, "beim Beenden abgebrochen")
        if cut_off:
            logger.warning("%s requests cut off at shutdown: they are resent at the next start and may arrive twice",
                           len(cut_off))
        if self.pending:
            logger.info("%s requests stay in the outbox for the next start", self.pending)
        return len(cut_off)

    async def close(self) -> None:
        await self._api.close()


def _target(recorded: Recorded, chat: int | None) -> object:
    raw = recorded.params.get("chat_id")
    if raw is None:
        return chat  # a callback answer: it belongs to the chat it was pressed in
    try:
        return int(raw)
    except ValueError:
        return raw


_TAG = re.compile(r"<[^>]*>")


def plain_text(markup: str) -> str:
    """Telegram HTML as plain text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def _visible_length(params: dict[str, str]) -> int:
    text = params.get("text", "")
    return len(plain_text(text) if params.get("parse_mode", "").upper() == "HTML" else text)
