"""App factories: the python-telegram-bot `Application` and the aiohttp web application around it.

    Telegram ──POST /telegram──▶ inbox (SQLite) ──▶ dispatcher ──▶ handlers ──▶ core
                                                        │ recorded requests
                                                        ▼
                                     outbox (SQLite) ──▶ Bot API, retried until done

The web application takes the DATA_DIR lock, opens its port, then loads knowledge and starts
Telegram in the background; `/healthz` says "starting" until everything is ready.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import logging
import sqlite3
from dataclasses import dataclass, field

from aiohttp import web
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes
from telegram.request import HTTPXRequest

from . import admin_http, console, handlers, redact
from .bot_api import BotApi, Timeouts
from .chat_memory import ChatMemory
from .config import Settings
from .dispatch import INTERRUPTED_ATTEMPTS, Job, UpdateDispatcher
from .handlers.commands import COMMANDS, DESCRIPTION, DESCRIPTION_LANGUAGES, SHORT_DESCRIPTION
from .handlers.context import BotData
from .handlers.errors import APOLOGY
from .handlers.support import ADMIN_COMMANDS
from .intake import Intake, NotAnUpdate, inspect, read_update
from .change_notices import ChangeNotifier
from .knowledge_reload import reload_knowledge, switched
from .knowledge_source import KnowledgeSource
from .notice_job import NoticeJob
from .outbox import Clock, Outbox, RetryPolicy
from .recording import Recording, RecordingRequest
from .serve_lock import ServeLock
from .setup_gaps import setup_gaps
from .store import BOT_DB, Store
from .subscriptions import SubscriptionStore
from .web_auth import json_response

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
MAX_BODY = 1024 * 1024
CONNECTIONS = 64  # to the Bot API, per client


def _timeouts(settings: Settings) -> Timeouts:
    return Timeouts(settings.telegram_connect_timeout, settings.telegram_read_timeout,
                    settings.telegram_write_timeout, settings.telegram_pool_timeout)


def create_application(settings: Settings, source: KnowledgeSource, store: Store, *,
                       polling: bool = False, subscriptions: SubscriptionStore | None = None,
                       clock: Clock | None = None) -> Application:
    """The Telegram side. Without `polling` it has no updater: updates come from our webhook route.

    Its requests go through `RecordingRequest`: under the dispatcher, what handlers send is recorded
    for the outbox (which also applies the flood limits); everything else leaves at once."""
    t = _timeouts(settings)
    request = RecordingRequest(HTTPXRequest(connection_pool_size=CONNECTIONS, connect_timeout=t.connect,
                                            read_timeout=t.read, write_timeout=t.write, pool_timeout=t.pool))
    builder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_base_url.replace("/bot", "/file/bot"))
        .request(request)
        .context_types(ContextTypes(bot_data=BotData))
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data.settings = settings
    application.bot_data.source = source
    application.bot_data.store = store
    application.bot_data.memory = ChatMemory(settings.context_minutes)
    application.bot_data.subscriptions = subscriptions or SubscriptionStore(store)
    application.bot_data.clock = clock or Clock()
    handlers.register(application, settings)
    return application


@dataclass
class State:
    settings: Settings
    source: KnowledgeSource
    store: Store
    subscriptions: SubscriptionStore
    lock: ServeLock | None = None  # only `serve` takes the DATA_DIR lock
    clock: Clock = field(default_factory=Clock)
    telegram: Application | None = None
    outbox: Outbox | None = None
    dispatcher: UpdateDispatcher | None = None
    ready: bool = False
    webhook_last_error: str | None = None
    boot: asyncio.Task | None = None
    housekeeping: asyncio.Task | None = None
    watcher: asyncio.Task | None = None
    set_webhook: asyncio.Task | None = None
    boot_error: str | None = None  # why start-up has not finished yet (retried until it does)
    telegram_start_failed: bool = False  # the last start-up attempt could not reach the Bot API
    store_open: bool = False
    notifier: ChangeNotifier | None = None
    notices: NoticeJob | None = None

    @property
    def policy(self) -> RetryPolicy:
        s = self.settings
        return RetryPolicy(s.delivery_backoff_base, s.delivery_backoff_max, s.delivery_max_age)


STATE = web.AppKey("state", State)


def create_web_app(settings: Settings, *, rate_limit: float | None = None, boot_retry: float = 10.0,
                   clock: Clock | None = None) -> web.Application:
    """`rate_limit`: messages per second to the Bot API (default Telegram's 30). `clock`: for tests."""
    settings.check_for_serving()
    redact.register(settings.secrets)
    app = web.Application(client_max_size=MAX_BODY)
    store = Store(settings.data_dir / BOT_DB, settings.pseudonym_key, settings.retention_days,
                  synchronous=settings.sqlite_synchronous)
    state = app[STATE] = State(settings=settings, source=KnowledgeSource(settings), store=store,
                               subscriptions=SubscriptionStore(store), lock=ServeLock(settings.data_dir),
                               clock=clock or Clock())
    state.notifier = ChangeNotifier(settings, state.source, state.subscriptions, state.clock.now)
    state.source.listeners.append(state.notifier.on_switch)
    app.router.add_post("/telegram", telegram_webhook)
    app.router.add_get("/healthz", healthz)
    console.add_routes(app, STATE)
    admin_http.add_routes(app, STATE)
    app.on_startup.append(_take_lock)
    app.on_startup.append(lambda a: _start_boot(a, rate_limit, boot_retry))
    app.on_shutdown.append(_shutdown)
    app.on_cleanup.append(_cleanup)
    return app


async def _take_lock(app: web.Application) -> None:
    """Before the port opens: only one `serve` works on a DATA_DIR (see serve_lock)."""
    state = app[STATE]
    if state.lock is not None:
        await state.lock.acquire(state.settings.lock_wait_seconds)


async def _start_boot(app: web.Application, rate_limit: float | None, retry: float) -> None:
    state = app[STATE]
    state.boot = asyncio.create_task(_boot(state, rate_limit, retry), name="boot")


async def _boot(state: State, rate_limit: float | None, retry_every: float = 10.0) -> None:
    """Start up; if a step fails (broken knowledge files, Telegram unreachable or the token refused),
    say why in the log and in /healthz and try again, so fixing the cause is enough."""
    attempt = 0
    while True:
        attempt += 1
        try:
            await _boot_once(state, rate_limit)
            state.boot_error = None
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            state.boot_error = redact.describe(exc)  # a refused token is in python-telegram-bot's error text
            logger.error("start-up failed (attempt %s), retrying in %s s: %s", attempt, retry_every, state.boot_error)
            if state.telegram is not None:
                await _stop_telegram(state)
            await asyncio.sleep(retry_every)


async def _boot_once(state: State, rate_limit: float | None) -> None:
    """Load knowledge, start Telegram and the outbox, register the webhook, finish what the last
    run left. Resuming left-overs comes last: nothing after it can fail and start it twice."""
    settings = state.settings
    if not state.source.loaded:
        await asyncio.to_thread(state.source.load)
    if not state.store_open:
        await state.store.open()
        await state.subscriptions.open()
        state.store_open = True
        await switched(state.source)  # at start: changes made while the bot was down notify too
    await state.store.purge()
    if settings.telegram_enabled:
        state.telegram = create_application(settings, state.source, state.store, subscriptions=state.subscriptions,
                                            clock=state.clock)
        try:
            await state.telegram.initialize()
            await state.telegram.start()
        except Exception:
            state.telegram_start_failed = True
            raise
        state.telegram_start_failed = False
        if state.outbox is None:
            api = BotApi(settings.bot_api_base_url, settings.bot_token, _timeouts(settings), CONNECTIONS)
            state.outbox = Outbox(state.store, api, state.policy, rate=rate_limit, clock=state.clock,
                                  max_in_flight=CONNECTIONS, notice_rate=settings.notice_rate)
            state.notices = NoticeJob(settings, state.source, state.subscriptions, state.outbox, state.clock)
            state.outbox.on_chat_gone, state.outbox.on_chat_moved = state.notices.chat_gone, state.notices.chat_moved
            resumed = await state.outbox.resume()
            if resumed:
                logger.info("%s requests left undelivered by the last run are sent again", resumed)
        assert state.notices is not None and state.telegram.job_queue is not None  # set above; [job-queue] installed
        state.dispatcher = UpdateDispatcher(lambda job: _process(state, job), state.store, state.outbox,
                                            state.policy, state.clock)
        await register_commands(state.telegram)
        await register_descriptions(state.telegram)
        # The job skips a look while the last one still runs (its own lock): no scheduler warning for that.
        state.telegram.job_queue.run_repeating(state.notices, interval=settings.notice_check_seconds, first=0.0,
                                               name="reminders-and-notices", job_kwargs={"max_instances": 2})
        if settings.webhook_url:
            state.set_webhook = asyncio.create_task(_set_webhook(state), name="set-webhook")
        await _resume_left_over(state)
    else:
        logger.warning("BOT_TOKEN ist nicht gesetzt: Telegram ist aus, nur die Web-Endpunkte laufen.")
    state.housekeeping = asyncio.create_task(housekeeping(state), name="housekeeping")
    state.watcher = asyncio.create_task(watch_knowledge(state), name="knowledge-watcher")
    state.ready = True
    logger.info("ready: knowledge %s, telegram %s", state.source.current.knowledge.version,
                "on" if state.telegram else "off")


async def _resume_left_over(state: State) -> None:
    """Updates whose handling the last run did not finish. After a crash each counts an interrupted
    attempt; too many and it is given up (with the one apology) instead of crashing every start.
    One odd row never stops the start."""
    outbox, dispatcher = state.outbox, state.dispatcher
    assert outbox is not None and dispatcher is not None  # started just before, with Telegram
    clean = await state.store.take_clean_shutdown()
    resume, given_up = await state.store.inbox_left_over(interrupted=not clean, limit=INTERRUPTED_ATTEMPTS)
    for item in given_up:
        logger.error("update %s quarantined after %s interrupted attempts", item.update_id, item.interrupted)
        intake = inspect(item.update_id, item.payload, item.received_at)
        try:
            await outbox.stage_apology(Recording(item.update_id, intake.chat, intake.asked_at,
                                                       intake.reply_to), APOLOGY, inbox_status="quarantined")
        except Exception as exc:
            logger.error("no apology for update %s: %s", item.update_id, exc.__class__.__name__)
    for item in resume:
        try:
            intake = inspect(item.update_id, item.payload, item.received_at)
            reason = intake.poison or intake.ignored
            if reason:
                logger.warning("left-over update %s quarantined: %s", item.update_id, reason)
                await state.store.inbox_quarantine(item.update_id, reason)
                continue
            logger.info("processing update %s left over from the last run (interrupted %s times)", item.update_id,
                        item.interrupted)
            dispatcher.submit(Job(item.update_id, intake.chat, intake.payload, intake.asked_at,
                                        intake.reply_to, attempts=item.attempts))
        except Exception as exc:
            logger.error("left-over update %s quarantined: %s", item.update_id, exc.__class__.__name__)
            await state.store.inbox_quarantine(item.update_id, f"nicht lesbar: {exc.__class__.__name__}")


async def _process(state: State, job: Job) -> None:
    application = state.telegram
    assert application is not None  # updates are processed only while Telegram runs
    update = job.update or Update.de_json(job.payload, application.bot)
    await application.process_update(update)


async def register_commands(application: Application) -> None:
    """The German command menu for everyone; admins get the admin commands in their private chat."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
        admin_menu = [BotCommand(name, text) for name, text in COMMANDS + ADMIN_COMMANDS]
        for admin in application.bot_data.settings.admin_ids:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin))
    except TelegramError as exc:
        logger.warning("setMyCommands failed: %s", redact.describe(exc))


async def register_descriptions(application: Application) -> None:
    """The German description and short description, for language "de" and the default; set only
    where Telegram has another text (they are rate-limited, and a restart changes nothing)."""
    bot = application.bot
    for language in DESCRIPTION_LANGUAGES:
        try:
            if (await bot.get_my_description(language_code=language)).description != DESCRIPTION:
                await bot.set_my_description(DESCRIPTION, language_code=language)
            if (await bot.get_my_short_description(language_code=language)).short_description != SHORT_DESCRIPTION:
                await bot.set_my_short_description(SHORT_DESCRIPTION, language_code=language)
        except TelegramError as exc:
            logger.warning("bot description not set: %s", redact.describe(exc))


async def _set_webhook(state: State, attempts: int = 5) -> None:
    settings = state.settings
    assert state.telegram is not None  # started before this task
    for attempt in range(attempts):
        try:
            await state.telegram.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                                 allowed_updates=ALLOWED_UPDATES)
            state.webhook_last_error = None
            logger.info("webhook registered")
            return
        except RetryAfter as exc:
            delay = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            state.webhook_last_error = f"RetryAfter {delay}"
            await asyncio.sleep(float(delay))
        except TelegramError as exc:
            state.webhook_last_error = redact.describe(exc)
            logger.error("setWebhook failed (attempt %s): %s", attempt + 1, state.webhook_last_error)
            await asyncio.sleep(min(2 ** attempt, 30))


WATCH_EVERY = 2.0  # seconds between looks at the knowledge files


async def watch_knowledge(state: State) -> None:
    """Reload when the knowledge files or the catalogue change on disk (a bad edit keeps the old).
    A failure is logged once, not every round, until it changes or clears."""
    reported = None
    while True:
        await asyncio.sleep(WATCH_EVERY)
        try:
            if not await asyncio.to_thread(state.source.changed_on_disk):
                continue
            result = await reload_knowledge(state.source)
            first = result.message().splitlines()[0]
            if result.ok:
                if result.changed or reported:
                    logger.info("knowledge changed on disk: %s", first)
                reported = None
            elif result.message() != reported:
                logger.error("knowledge on disk not loaded: %s", result.message())
                reported = result.message()
        except Exception as exc:
            text = redact.describe(exc)
            if text != reported:
                logger.error("knowledge watcher failed: %s", text)
                reported = text


MAX_CHAT_STATE = 10_000


async def housekeeping(state: State, every: float = 3600.0) -> None:
    """Enforce the retention period while running, and keep per-chat memory bounded."""
    while True:
        await asyncio.sleep(every)
        try:
            deleted = await state.store.purge()
            if deleted:
                logger.info("retention: %s old rows deleted", deleted)
        except Exception:
            logger.exception("retention purge failed")
        if state.telegram is not None:
            _bound_chat_state(state.telegram)


def _bound_chat_state(application: Application) -> None:
    """python-telegram-bot keeps chat_data/user_data per chat; the handlers keep nothing there that
    must survive, so beyond a bound the oldest entries are dropped."""
    for mapping, drop in ((application.chat_data, application.drop_chat_data),
                          (application.user_data, application.drop_user_data)):
        excess = len(mapping) - MAX_CHAT_STATE
        for key in list(mapping)[:max(0, excess)]:
            drop(key)


async def _shutdown(app: web.Application) -> None:
    """First step of a graceful stop: accept no new updates, stop the background loops."""
    state = app[STATE]
    state.ready = False
    for task in (state.boot, state.housekeeping, state.watcher, state.set_webhook):
        if task is not None and not task.done():
            task.cancel()


async def _cleanup(app: web.Application) -> None:
    """After the last request: drain (what is on its way gets `drain_seconds`, the rest stays for
    the next start), stop Telegram, close the database, release DATA_DIR."""
    state = app[STATE]
    deadline = asyncio.get_running_loop().time() + state.settings.drain_seconds
    cut_off, _ = await asyncio.gather(state.dispatcher.drain(deadline) if state.dispatcher else _nothing(),
                                      state.outbox.drain(deadline) if state.outbox else _nothing())
    try:
        if state.store_open:
            await state.store.mark_clean_shutdown(cut_off or [])
    except sqlite3.Error as exc:
        logger.error("could not record the clean shutdown: %s", exc.__class__.__name__)
    await _stop_telegram(state)
    if state.outbox is not None:
        await state.outbox.close()
    await state.store.close()
    if state.lock is not None:
        state.lock.release()


async def _nothing() -> list[int]:
    return []


async def _stop_telegram(state: State) -> None:
    if state.telegram is None:
        return
    try:
        if state.telegram.running:
            await state.telegram.stop()
        await state.telegram.shutdown()
    except Exception as exc:
        logger.error("stopping Telegram failed: %s", redact.describe(exc))
    state.telegram = None


def _secret_ok(request: web.Request, secret: str) -> bool:
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode())


async def telegram_webhook(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if not state.settings.telegram_enabled:
        return json_response({"error": "Telegram ist nicht eingeschaltet."}, status=404)
    if not _secret_ok(request, state.settings.webhook_secret):
        logger.warning("webhook request with missing or wrong secret rejected")
        return json_response({"error": "Falsches oder fehlendes Secret-Token."}, status=403)
    if not state.ready or state.dispatcher is None or state.telegram is None:
        return json_response({"error": "Der Bot startet noch."}, status=503, headers={"Retry-After": "5"})
    try:
        intake = read_update(await request.read(), state.clock.now())
    except NotAnUpdate as exc:
        return json_response({"error": str(exc)}, status=400)
    update = None
    if intake.poison is None and intake.ignored is None:
        try:
            update = Update.de_json(intake.payload, state.telegram.bot)
        except Exception as exc:  # a shape python-telegram-bot cannot read: it could never be answered
            intake = dataclasses.replace(intake, poison=f"nicht lesbar: {exc.__class__.__name__}")
    if intake.poison:
        logger.warning("update %s quarantined: %s", intake.update_id, intake.poison)
    try:
        status = await state.store.inbox_add(intake)
    except sqlite3.Error as exc:  # not stored, not acknowledged: Telegram sends it again
        logger.error("update %s could not be stored: %s", intake.update_id, exc.__class__.__name__)
        return json_response({"error": "Das Update konnte nicht gespeichert werden."}, status=503,
                             headers={"Retry-After": "5"})
    if update is not None and (status == "new" or status == "pending" and not state.dispatcher.knows(intake.update_id)):
        state.dispatcher.submit(_job(intake, update))
    return json_response({"ok": True})


def _job(intake: Intake, update: Update | None = None) -> Job:
    return Job(intake.update_id, intake.chat, intake.payload, intake.asked_at, intake.reply_to, update)


async def healthz(request: web.Request) -> web.Response:
    """200 when ready — and while start-up waits for an unreachable Bot API (a 503 would make
    liveness probes restart the bot in a loop during an outage); 503 while starting otherwise.
    The body tells the truth either way."""
    state = request.app[STATE]
    loaded = state.source.loaded
    knowledge = state.source.current.knowledge if loaded else None
    delivery = state.outbox.snapshot() if state.outbox else {}
    telegram_ok = (state.settings.telegram_enabled and not state.telegram_start_failed
                   and delivery.get("telegram_ok", True))
    body = {
        "status": "ok" if state.ready else "starting",
        "error": state.boot_error,
        "knowledge_version": knowledge.version if knowledge else None,
        "knowledge_loaded_at": knowledge.loaded_at.isoformat(timespec="seconds") if knowledge else None,
        "faq_entries": len(knowledge.entries) if knowledge else 0,
        "services": len(knowledge.services) if knowledge else 0,
        "telegram": "on" if state.settings.telegram_enabled else "off",
        "telegram_running": bool(state.telegram and state.telegram.running),
        "telegram_ok": telegram_ok,
        "webhook_last_error": state.webhook_last_error,
        "knowledge_last_error": state.source.last_error,
        "updates_in_progress": state.dispatcher.in_flight if state.dispatcher else 0,
        "updates_quarantined": await _quarantined(state),
        "setup_warnings": setup_gaps(state.settings, knowledge) if knowledge else [],
        **delivery,
        **await _subscription_counts(state),
    }
    return json_response({k: redact.redact(v) if isinstance(v, str) else v for k, v in body.items()},
                         status=200 if state.ready or state.telegram_start_failed else 503)


async def _subscription_counts(state: State) -> dict:
    """Subscribed chats, and those whose stored id cannot be decrypted (PSEUDONYM_KEY rotated)."""
    if not state.store_open:
        return {"subscriptions": None, "subscriptions_unreadable": None}
    try:
        return await state.subscriptions.counts()
    except sqlite3.Error:
        return {"subscriptions": None, "subscriptions_unreadable": None}


async def _quarantined(state: State) -> int | None:
    if not state.store_open:
        return None
    try:
        return (await state.store.inbox_counts()).get("quarantined", 0)
    except sqlite3.Error:
        return None
