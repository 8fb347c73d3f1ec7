"""App factories: the python-telegram-bot `Application` and the aiohttp web application around it.

    Telegram ──POST /telegram──▶ inbox (SQLite) ──▶ dispatcher ──▶ handlers ──▶ core ──▶ reply

The web application opens its port first, then loads knowledge and starts Telegram in the
background; `/healthz` says "starting" (503) until everything is ready.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass

from aiohttp import web
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from . import admin_http, console, handlers
from .config import Settings
from .dispatch import UpdateDispatcher
from .handlers.commands import COMMANDS
from .handlers.support import ADMIN_COMMANDS
from .handlers.context import BotData
from .knowledge_source import KnowledgeSource
from .store import BOT_DB, Store
from .web_auth import json_response

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_BODY = 1024 * 1024


class MessageRateLimiter(AIORateLimiter):
    """Telegram's flood limits are about messages; the "typing" indicator is cosmetic and must not
    use up the message budget (with it every answer would cost two of the 30 per second)."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def create_application(settings: Settings, source: KnowledgeSource, store: Store, *,
                       rate_limit: float | None = None, polling: bool = False) -> Application:
    """The Telegram side. Without `polling` it has no updater: updates come from our webhook route.

    `rate_limit` lifts or lowers the overall flood limit (messages per second; default Telegram's 30)."""
    limiter = MessageRateLimiter(max_retries=3) if rate_limit is None else MessageRateLimiter(
        overall_max_rate=rate_limit, max_retries=3)
    builder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_api_base_url.replace("/bot", "/file/bot"))
        .rate_limiter(limiter)
        .context_types(ContextTypes(bot_data=BotData))
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data.settings = settings
    application.bot_data.source = source
    application.bot_data.store = store
    handlers.register(application, settings)
    return application


@dataclass
class State:
    settings: Settings
    source: KnowledgeSource
    store: Store
    telegram: Application | None = None
    dispatcher: UpdateDispatcher | None = None
    ready: bool = False
    webhook_last_error: str | None = None
    boot: asyncio.Task | None = None
    housekeeping: asyncio.Task | None = None
    watcher: asyncio.Task | None = None
    set_webhook: asyncio.Task | None = None
    boot_error: str | None = None  # why start-up has not finished yet (retried until it does)


STATE = web.AppKey("state", State)


def create_web_app(settings: Settings, *, rate_limit: float | None = None, boot_retry: float = 10.0) -> web.Application:
    settings.check_for_serving()
    app = web.Application(client_max_size=MAX_BODY)
    store = Store(settings.data_dir / BOT_DB, settings.pseudonym_key, settings.retention_days)
    app[STATE] = State(settings=settings, source=KnowledgeSource(settings), store=store)
    app.router.add_post("/telegram", telegram_webhook)
    app.router.add_get("/healthz", healthz)
    console.add_routes(app, STATE)
    admin_http.add_routes(app, STATE)
    app.on_startup.append(lambda a: _start_boot(a, rate_limit, boot_retry))
    app.on_shutdown.append(_shutdown)
    app.on_cleanup.append(_cleanup)
    return app


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
            state.boot_error = f"{exc.__class__.__name__}: {exc}"
            logger.error("start-up failed (attempt %s), retrying in %s s: %s", attempt, retry_every, state.boot_error)
            if state.telegram is not None:
                await _stop_telegram(state)
            await asyncio.sleep(retry_every)


async def _boot_once(state: State, rate_limit: float | None) -> None:
    """Load knowledge, start Telegram, register the webhook, finish what the last run left."""
    settings = state.settings
    if not state.source.loaded:
        await asyncio.to_thread(state.source.load)
    await state.store.purge()
    if settings.telegram_enabled:
        state.telegram = create_application(settings, state.source, state.store, rate_limit=rate_limit)
        await state.telegram.initialize()
        await state.telegram.start()
        state.dispatcher = UpdateDispatcher(lambda payload: _process(state, payload), state.store)
        await register_commands(state.telegram)
        if settings.webhook_url:
            state.set_webhook = asyncio.create_task(_set_webhook(state), name="set-webhook")
        for update_id, payload in await state.store.inbox_unfinished():
            logger.info("processing update %s left over from the last run", update_id)
            state.dispatcher.submit(update_id, _chat_of(payload), payload, retry=True)
    else:
        logger.warning("BOT_TOKEN ist nicht gesetzt: Telegram ist aus, nur die Web-Endpunkte laufen.")
    state.housekeeping = asyncio.create_task(housekeeping(state), name="housekeeping")
    state.watcher = asyncio.create_task(watch_knowledge(state), name="knowledge-watcher")
    state.ready = True
    logger.info("ready: knowledge %s, telegram %s", state.source.current.knowledge.version,
                "on" if state.telegram else "off")


async def _process(state: State, payload: dict) -> None:
    application = state.telegram
    update = Update.de_json(payload, application.bot)
    await application.process_update(update)


async def register_commands(application: Application) -> None:
    """The German command menu for everyone; admins get the admin commands in their private chat."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
        admin_menu = [BotCommand(name, text) for name, text in COMMANDS + ADMIN_COMMANDS]
        for admin in application.bot_data.settings.admin_ids:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin))
    except TelegramError as exc:
        logger.warning("setMyCommands failed: %s", exc)


async def _set_webhook(state: State, attempts: int = 5) -> None:
    settings = state.settings
    for attempt in range(attempts):
        try:
            await state.telegram.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                                 allowed_updates=ALLOWED_UPDATES)
            state.webhook_last_error = None
            logger.info("webhook registered")
            return
        except RetryAfter as exc:
            state.webhook_last_error = f"RetryAfter {exc.retry_after}"
            delay = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            await asyncio.sleep(float(delay))
        except TelegramError as exc:
            state.webhook_last_error = str(exc)
            logger.error("setWebhook failed (attempt %s): %s", attempt + 1, exc)
            await asyncio.sleep(min(2 ** attempt, 30))


async def watch_knowledge(state: State, every: float = 2.0) -> None:
    """Reload when the knowledge files or the catalogue change on disk (a bad edit keeps the old)."""
    while True:
        await asyncio.sleep(every)
        try:
            if await asyncio.to_thread(state.source.changed_on_disk):
                result = await asyncio.to_thread(state.source.reload)
                logger.info("knowledge changed on disk: %s", result.message().splitlines()[0])
        except Exception:
            logger.exception("knowledge watcher failed")


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
    """After the last request: finish in-flight updates, stop Telegram, close the database."""
    state = app[STATE]
    if state.dispatcher is not None:
        await state.dispatcher.drain()
    await _stop_telegram(state)
    await state.store.close()


async def _stop_telegram(state: State) -> None:
    if state.telegram is None:
        return
    try:
        if state.telegram.running:
            await state.telegram.stop()
        await state.telegram.shutdown()
    except Exception:
        logger.exception("stopping Telegram failed")
    state.telegram = None


def _chat_of(payload: dict) -> int | None:
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if isinstance(payload.get(key), dict):
            return (payload[key].get("chat") or {}).get("id")
    callback = payload.get("callback_query")
    if isinstance(callback, dict):
        message = callback.get("message") or {}
        return (message.get("chat") or {}).get("id") or (callback.get("from") or {}).get("id")
    return None


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
    if not state.ready or state.dispatcher is None:
        return json_response({"error": "Der Bot startet noch."}, status=503, headers={"Retry-After": "5"})
    try:
        payload = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return json_response({"error": "Der Inhalt ist kein gültiges JSON."}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        return json_response({"error": "Kein Telegram-Update (update_id fehlt)."}, status=400)
    update_id = payload["update_id"]
    chat = _chat_of(payload)
    if await state.store.inbox_add(update_id, chat, payload):
        state.dispatcher.submit(update_id, chat, payload)
    return json_response({"ok": True})


async def healthz(request: web.Request) -> web.Response:
    state = request.app[STATE]
    loaded = state.source.loaded
    knowledge = state.source.current.knowledge if loaded else None
    body = {
        "status": "ok" if state.ready else "starting",
        "error": state.boot_error,
        "knowledge_version": knowledge.version if knowledge else None,
        "knowledge_loaded_at": knowledge.loaded_at.isoformat(timespec="seconds") if knowledge else None,
        "faq_entries": len(knowledge.entries) if knowledge else 0,
        "services": len(knowledge.services) if knowledge else 0,
        "telegram": "on" if state.settings.telegram_enabled else "off",
        "telegram_running": bool(state.telegram and state.telegram.running),
        "webhook_last_error": state.webhook_last_error,
        "knowledge_last_error": state.source.last_error,
    }
    return json_response(body, status=200 if state.ready else 503)
